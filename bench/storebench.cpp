// pushchat-store-bench: what a durable append costs per message (HistoryStore, SQLite in WAL),
// by batch size (messages per transaction: the group commit of one event-loop pass) and by
// synchronous mode, on the file systems named with --dir. Also the time from
// HistoryJournal::submit() to durable(): how long a sender waits for its ack.

#include "historyjournal.h"
#include "historystore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QLoggingCategory>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <ctime>

using namespace PushChat;

namespace {

qint64 threadCpuNs()
{
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return qint64(now.tv_sec) * 1000000000 + now.tv_nsec;
}

ChatMessage benchMessage(int textBytes)
{
    ChatMessage message;
    message.ts = QDateTime::currentMSecsSinceEpoch();
    message.nick = QStringLiteral("bench");
    message.text = QString(textBytes, u'x');
    return message;
}

struct Figures
{
    qint64 messages = 0;
    qint64 commits = 0;
    double wallUsPerMessage = 0;
    double cpuUsPerMessage = 0;
    double medianCommitUs = 0;
    double medianAckUs = 0; ///< submit() to durable(), through the writer thread
    /// `batch` messages submitted every millisecond without waiting, as a busy server does: the
    /// writer commits what piled up during the last commit in one transaction.
    double streamedMessagesPerCommit = 0;
    double streamedMedianAckUs = 0;
    /// CPU time of the submitting ("server") thread per streamed message: submit(), the hand-over
    /// and durable(), everything the server thread pays for durability.
    double streamedServerCpuUs = 0;
};

double median(QList<qint64> values)
{
    if (values.isEmpty())
        return 0;
    std::sort(values.begin(), values.end());
    return values.at(values.size() / 2) / 1000.0;
}

std::optional<Figures> measure(const QString &dir, HistoryStore::Sync sync, int batchSize,
                               qint64 messages, int textBytes, QString *error)
{
    QTemporaryDir temporary(dir + QStringLiteral("/pushchat-store-bench-XXXXXX"));
    if (!temporary.isValid()) {
        *error = QStringLiteral("cannot create a directory in %1").arg(dir);
        return std::nullopt;
    }
    Figures figures;
    const ChatMessage message = benchMessage(textBytes);
    {
        HistoryStore store(sync);
        if (!store.open(temporary.filePath(QStringLiteral("store.sqlite")), 10000)) {
            *error = store.errorString();
            return std::nullopt;
        }
        QList<qint64> commitNs;
        QElapsedTimer wall;
        wall.start();
        const qint64 cpuStart = threadCpuNs();
        while (figures.messages < messages) {
            StoredMessages batch;
            batch.reserve(batchSize);
            for (int i = 0; i < batchSize; ++i) {
                StoredMessage stored{message, QStringLiteral("bench\nid-%1").arg(store.lastSeq())};
                stored.message.seq = store.lastSeq() + 1 + i;
                batch.append(stored);
            }
            const qint64 before = wall.nsecsElapsed();
            if (!store.append(batch)) {
                *error = store.errorString();
                return std::nullopt;
            }
            commitNs.append(wall.nsecsElapsed() - before);
            figures.messages += batchSize;
        }
        figures.wallUsPerMessage = wall.nsecsElapsed() / 1000.0 / figures.messages;
        figures.cpuUsPerMessage = (threadCpuNs() - cpuStart) / 1000.0 / figures.messages;
        figures.commits = qint64(store.commitCount());
        figures.medianCommitUs = median(commitNs);
    }

    // The sender's wait: one batch submitted in one pass, until durable() comes back from the
    // writer thread (30 rounds).
    HistoryJournal journal;
    if (!journal.open(temporary.filePath(QStringLiteral("journal.sqlite")), 10000, sync)) {
        *error = journal.errorString();
        return std::nullopt;
    }
    QList<qint64> ackNs;
    QEventLoop loop;
    qint64 waitFor = 0;
    QObject::connect(&journal, &HistoryJournal::durable, &loop, [&] {
        if (journal.durableSeq() >= waitFor)
            loop.quit();
    });
    QElapsedTimer timer;
    for (int round = 0; round < 30; ++round) {
        timer.start();
        for (int i = 0; i < batchSize; ++i)
            journal.submit(message);
        waitFor = journal.submittedSeq();
        loop.exec();
        ackNs.append(timer.nsecsElapsed());
    }
    figures.medianAckUs = median(ackNs);

    // A busy server: `batchSize` messages every millisecond, without waiting for the store.
    const quint64 commitsBefore = journal.commitCount();
    const qint64 first = journal.submittedSeq() + 1;
    const qint64 target = journal.submittedSeq() + messages;
    waitFor = target;
    QList<qint64> submittedAtNs;
    QList<qint64> streamedAckNs;
    submittedAtNs.reserve(messages);
    streamedAckNs.reserve(messages);
    const auto connection =
        QObject::connect(&journal, &HistoryJournal::durable, &loop, [&](const StoredMessages &d) {
            const qint64 now = timer.nsecsElapsed();
            for (const StoredMessage &stored : d)
                streamedAckNs.append(now - submittedAtNs.at(stored.message.seq - first));
        });
    QTimer submitter;
    submitter.setTimerType(Qt::PreciseTimer);
    submitter.setInterval(1);
    QObject::connect(&submitter, &QTimer::timeout, &loop, [&] {
        for (int i = 0; i < batchSize && journal.submittedSeq() < target; ++i) {
            submittedAtNs.append(timer.nsecsElapsed());
            journal.submit(message);
        }
        if (journal.submittedSeq() == target)
            submitter.stop();
    });
    timer.start();
    const qint64 cpuStart = threadCpuNs();
    submitter.start();
    loop.exec();
    figures.streamedServerCpuUs = (threadCpuNs() - cpuStart) / 1000.0 / messages;
    QObject::disconnect(connection);
    figures.streamedMessagesPerCommit =
        double(messages) / qMax<quint64>(1, journal.commitCount() - commitsBefore);
    figures.streamedMedianAckUs = median(streamedAckNs);
    return figures;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("pushchat-store-bench"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PUSHCHAT_VERSION));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Cost of a durable append to the history store, per message, by batch size and "
        "synchronous mode. Prints a Markdown table."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption dirOption(
        QStringLiteral("dir"), QStringLiteral("Directory to write in (repeatable; default /tmp)."),
        QStringLiteral("dir"));
    const QCommandLineOption batchOption(QStringLiteral("batch"),
                                         QStringLiteral("Batch sizes, comma-separated."),
                                         QStringLiteral("sizes"), QStringLiteral("1,10,100,1000"));
    const QCommandLineOption messagesOption(
        QStringLiteral("messages"),
        QStringLiteral("Messages per measurement (at least 20 batches each)."), QStringLiteral("n"),
        QStringLiteral("2000"));
    const QCommandLineOption textOption(QStringLiteral("text-bytes"),
                                        QStringLiteral("Text of each message."),
                                        QStringLiteral("bytes"), QStringLiteral("100"));
    parser.addOptions({dirOption, batchOption, messagesOption, textOption});
    parser.process(app);
    QLoggingCategory::setFilterRules(QStringLiteral("pushchat.server.history.info=false"));

    QStringList dirs = parser.values(dirOption);
    if (dirs.isEmpty())
        dirs << QStringLiteral("/tmp");
    QList<int> batches;
    for (const QString &size : parser.value(batchOption).split(u',')) {
        bool ok = false;
        const int batch = size.toInt(&ok);
        if (!ok || batch < 1) {
            std::fprintf(stderr, "pushchat-store-bench: --batch takes positive numbers\n");
            return 2;
        }
        batches << batch;
    }
    bool ok = false;
    const qint64 messages = parser.value(messagesOption).toLongLong(&ok);
    const int textBytes = parser.value(textOption).toInt(&ok);
    if (!ok || messages < 1 || textBytes < 1) {
        std::fprintf(stderr, "pushchat-store-bench: --messages and --text-bytes must be > 0\n");
        return 2;
    }

    std::printf("| dir | synchronous | batch | messages | commits | µs/message (wall) | "
                "µs/message (CPU) | median commit µs | median ack µs | streamed: messages/commit | "
                "streamed: median ack µs | streamed: server thread CPU µs/message |\n"
                "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (const QString &dir : dirs) {
        for (const HistoryStore::Sync sync :
             {HistoryStore::Sync::Normal, HistoryStore::Sync::Full}) {
            for (const int batch : batches) {
                QString error;
                const qint64 count =
                    (qMax(messages, qint64(batch) * 20) + batch - 1) / batch * batch;
                const std::optional<Figures> figures =
                    measure(dir, sync, batch, count, textBytes, &error);
                if (!figures) {
                    std::fprintf(stderr, "pushchat-store-bench: %s\n", qPrintable(error));
                    return 1;
                }
                std::printf("| %s | %s | %d | %lld | %lld | %.1f | %.1f | %.0f | %.0f | %.1f | "
                            "%.0f | %.1f |\n",
                            qPrintable(dir), sync == HistoryStore::Sync::Full ? "FULL" : "NORMAL",
                            batch, static_cast<long long>(figures->messages),
                            static_cast<long long>(figures->commits), figures->wallUsPerMessage,
                            figures->cpuUsPerMessage, figures->medianCommitUs, figures->medianAckUs,
                            figures->streamedMessagesPerCommit, figures->streamedMedianAckUs,
                            figures->streamedServerCpuUs);
                std::fflush(stdout);
            }
        }
    }
    return 0;
}
