#pragma once

// What the server's network tests share: a server on its worker thread, and ways to read its
// answers and its statistics.

#include "httptestclient.h"
#include "serverhost.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QUrl>
#include <QWebSocket>

#include <memory>

namespace ServerTestSupport {

using namespace PushChat;

// A server on its worker thread, on 127.0.0.1 and a free port.
struct RunningServer
{
    std::unique_ptr<ServerHost> host = std::make_unique<ServerHost>();
    quint16 port = 0;

    bool start(ServerConfig config = {})
    {
        config.bindAddress = QHostAddress::LocalHost;
        config.port = port; // 0 the first time; the same port on a restart
        QSignalSpy started(host.get(), &ServerHost::started);
        host->start(config);
        if (!started.wait(10000))
            return false;
        port = started.first().first().value<quint16>();
        return true;
    }
};

inline ServerConfig quietConfig()
{
    ServerConfig config;
    config.rateLimitPerSecond = 0;
    return config;
}

inline QJsonArray messagesOf(const TestHttp::Reply &reply)
{
    return reply.json().value(u"messages").toArray();
}

// A counter of one transport in the server's /api/stats.
inline int statsCounter(quint16 port, const char *transport, const char *counter)
{
    return TestHttp::get(port, "/api/stats")
        .json()
        .value(QLatin1String(transport))
        .toObject()
        .value(QLatin1String(counter))
        .toInt();
}

inline QByteArray formRequest(const QByteArray &target, const QByteArray &form)
{
    return TestHttp::request("POST", target, form,
                             "Content-Type: application/x-www-form-urlencoded\r\n");
}

inline QUrl wsUrl(quint16 port, const QString &pathAndQuery)
{
    return QUrl(QStringLiteral("ws://127.0.0.1:%1%2").arg(port).arg(pathAndQuery));
}

// Collects the JSON text frames a WebSocket receives.
struct FrameCollector
{
    QList<QJsonObject> frames;
    explicit FrameCollector(QWebSocket *socket)
    {
        QObject::connect(socket, &QWebSocket::textMessageReceived, socket,
                         [this](const QString &text) {
                             frames.append(QJsonDocument::fromJson(text.toUtf8()).object());
                         });
    }
    QList<QJsonObject> ofType(const QString &type) const
    {
        QList<QJsonObject> out;
        for (const QJsonObject &frame : frames) {
            if (frame.value(u"type").toString() == type)
                out.append(frame);
        }
        return out;
    }
};

} // namespace ServerTestSupport
