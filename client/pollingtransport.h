#pragma once

#include "chattransport.h"

#include <QTimer>

namespace PushChat {

class HttpClient;
class PostQueue;
struct HttpResponse;

/// Short polling: `GET /api/messages?after=N` every interval (the next poll starts one
/// interval after the last answer, so polls never overlap); sending by
/// `POST /api/messages?via=polling` on a second keep-alive connection, one post at a time.
class PollingTransport final : public ChatTransport
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PollingTransport)

public:
    static constexpr int MinIntervalMs = 100;
    static constexpr int MaxIntervalMs = 10000;

    explicit PollingTransport(const TransportContext &context, QObject *parent = nullptr);
    ~PollingTransport() override;

    Transport kind() const override { return Transport::Polling; }
    void open(qint64 after) override;
    void send(qint64 id, const QString &text, const QString &clientId) override;
    void close() override;
    void stopReceiving() override;
    void setPollInterval(int ms) override;

private:
    void poll();
    void onPollFinished(const HttpResponse &response);
    void onPollFailed(ErrorCode code, const QString &message);

    HttpClient *m_pollHttp;
    PostQueue *m_posts;
    QTimer m_timer;
    qint64 m_after = 0;
    int m_intervalMs = 1000;
    bool m_first = true;
};

} // namespace PushChat
