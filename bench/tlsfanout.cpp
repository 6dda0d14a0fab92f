// pushchat-tls-fanout: what TLS costs a WebSocket fan-out. One room server on its thread in this
// process, N WebSocket clients of the client library, and one sender posting M messages one at
// a time, each once every client has the one before; the same over ws:// and wss:// (a
// certificate made by openssl for the run). Prints the server thread's CPU time per message and
// the time from a send until the last client has it. Smaller than pushchat-bench, whose raw
// clients speak no TLS (docs/BENCHMARKS.md).

#include "serverhost.h"
#include "websocketclient.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <vector>

using namespace PushChat;

namespace {

// utime + stime of the server's thread, in ms (it is named after its QThread).
double serverThreadCpuMs()
{
    const QDir tasks(QStringLiteral("/proc/self/task"));
    for (const QString &tid : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile comm(tasks.filePath(tid + QStringLiteral("/comm")));
        if (!comm.open(QIODevice::ReadOnly) || !comm.readAll().startsWith("PushChat server"))
            continue;
        QFile stat(tasks.filePath(tid + QStringLiteral("/stat")));
        if (!stat.open(QIODevice::ReadOnly))
            return -1;
        const QByteArray line = stat.readAll();
        const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
        const double ticks = fields.value(11).toDouble() + fields.value(12).toDouble();
        return ticks * 1000.0 / double(sysconf(_SC_CLK_TCK));
    }
    return -1;
}

bool waitUntil(const std::function<bool()> &done, int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    while (!done()) {
        if (timer.elapsed() > timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    }
    return true;
}

struct Result
{
    double cpuMsPerMessage = 0;
    double medianMs = 0;
    double p95Ms = 0;
};

std::optional<Result> run(int clients, int messages, const QString &certificate, const QString &key)
{
    const bool tls = !certificate.isEmpty();
    ServerHost host;
    ServerConfig config;
    config.bindAddress = QHostAddress::LocalHost;
    config.port = 0;
    config.rateLimitPerSecond = 0;
    config.tlsCertificateFile = certificate;
    config.tlsKeyFile = key;
    QSignalSpy started(&host, &ServerHost::started);
    host.start(config);
    if (!started.wait(10000))
        return std::nullopt;
    const quint16 port = started.first().first().value<quint16>();

    ClientTls trust;
    trust.enabled = tls;
    if (tls)
        trust.caCertificates = QSslCertificate::fromPath(certificate);
    std::vector<std::unique_ptr<WebSocketClient>> receivers;
    std::vector<int> received(size_t(clients), 0);
    int connected = 0;
    for (int i = 0; i < clients; ++i) {
        auto client = std::make_unique<WebSocketClient>(nullptr);
        client->setTls(trust);
        QObject::connect(client.get(), &WebSocketClient::connected, [&] { ++connected; });
        QObject::connect(client.get(), &WebSocketClient::textReceived,
                         [&received, i](const QByteArray &text, qint64) {
                             if (text.contains("\"kind\":\"chat\""))
                                 ++received[size_t(i)];
                         });
        client->open(QStringLiteral("127.0.0.1"), port, "/ws", {}, 30000);
        receivers.push_back(std::move(client));
        if (i % 50 == 49) // a few handshakes at a time, as a class would arrive
            waitUntil([&] { return connected == i + 1; }, 30000);
    }
    WebSocketClient sender(nullptr);
    sender.setTls(trust);
    bool senderOpen = false;
    QObject::connect(&sender, &WebSocketClient::connected, [&] { senderOpen = true; });
    sender.open(QStringLiteral("127.0.0.1"), port, "/ws?nick=sender", {}, 30000);
    if (!waitUntil([&] { return connected == clients && senderOpen; }, 60000))
        return std::nullopt;

    std::vector<double> latencies;
    const double cpuBefore = serverThreadCpuMs();
    for (int m = 1; m <= messages; ++m) {
        QElapsedTimer timer;
        timer.start();
        sender.sendText(R"({"type":"send","text":"fan-out )" + QByteArray::number(m) + "\"}");
        if (!waitUntil(
                [&] {
                    return std::all_of(received.begin(), received.end(),
                                       [m](int count) { return count >= m; });
                },
                30000))
            return std::nullopt;
        latencies.push_back(double(timer.nsecsElapsed()) / 1e6);
    }
    const double cpuAfter = serverThreadCpuMs();
    host.stopAndWait();
    std::sort(latencies.begin(), latencies.end());
    return Result{(cpuAfter - cpuBefore) / messages, latencies[latencies.size() / 2],
                  latencies[size_t(double(latencies.size() - 1) * 0.95)]};
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("WebSocket fan-out over ws:// and wss://: server CPU and delivery time."));
    parser.addHelpOption();
    const QCommandLineOption clientsOption(QStringLiteral("clients"),
                                           QStringLiteral("Receiving clients."),
                                           QStringLiteral("n"), QStringLiteral("100"));
    const QCommandLineOption messagesOption(QStringLiteral("messages"),
                                            QStringLiteral("Messages sent."), QStringLiteral("n"),
                                            QStringLiteral("200"));
    parser.addOptions({clientsOption, messagesOption});
    parser.process(app);
    const int clients = parser.value(clientsOption).toInt();
    const int messages = parser.value(messagesOption).toInt();
    if (clients < 1 || messages < 1) {
        std::fprintf(stderr, "pushchat-tls-fanout: --clients and --messages must be positive\n");
        return 2;
    }

    QTemporaryDir dir;
    const QString certificate = dir.filePath(QStringLiteral("cert.pem"));
    const QString key = dir.filePath(QStringLiteral("key.pem"));
    QProcess openssl;
    openssl.start(QStringLiteral("openssl"),
                  {"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                   "-nodes", "-days", "1", "-subj", "/CN=pushchat-bench", "-addext",
                   "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", certificate});
    if (!openssl.waitForFinished(30000) || openssl.exitCode() != 0) {
        std::fprintf(stderr, "pushchat-tls-fanout: openssl could not make a certificate\n");
        return 1;
    }
    std::printf("scheme,clients,messages,server_cpu_ms_per_message,median_ms,p95_ms\n");
    for (const bool tls : {false, true}) {
        const auto result =
            run(clients, messages, tls ? certificate : QString(), tls ? key : QString());
        if (!result) {
            std::fprintf(stderr, "pushchat-tls-fanout: the %s run did not finish\n",
                         tls ? "wss" : "ws");
            return 1;
        }
        std::printf("%s,%d,%d,%.3f,%.2f,%.2f\n", tls ? "wss" : "ws", clients, messages,
                    result->cpuMsPerMessage, result->medianMs, result->p95Ms);
        std::fflush(stdout);
    }
    return 0;
}
