#pragma once

#include "clienttls.h"

#include "serverstats.h"

#include <QObject>
#include <QTimer>
#include <QUrl>

#include <optional>

namespace PushChat {

class HttpClient;
struct HttpResponse;

/// Reads the hosted server's live counters from `GET /api/stats` once a second, for the host
/// panel. Uses the client library's HttpClient without metrics, so the app's own inspector
/// does not count these requests (the server does, as "other").
class ServerStatsPoller final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ServerStatsPoller)

public:
    struct Snapshot
    {
        ServerStats stats;
        qint64 uptimeMs = 0;
        qint64 messages = 0;
        qint64 retained = 0;
    };

    explicit ServerStatsPoller(QObject *parent = nullptr);
    ~ServerStatsPoller() override;

    void start(const QUrl &serverUrl, const QString &key, const ClientTls &tls = {});
    void stop();
    void setInterval(int ms) { m_timer.setInterval(ms); }

    bool hasSnapshot() const { return m_hasSnapshot; }
    Snapshot snapshot() const { return m_snapshot; }

    static std::optional<Snapshot> parse(QByteArrayView json);

signals:
    void updated();

private:
    void poll();
    void onFinished(const HttpResponse &response);

    HttpClient *m_http = nullptr;
    QTimer m_timer;
    Snapshot m_snapshot;
    bool m_hasSnapshot = false;
};

} // namespace PushChat
