#pragma once

#include "chattransport.h"

namespace PushChat {

class HttpClient;
class PostQueue;
struct HttpResponse;

/// Long polling: `GET /api/messages?after=N&wait=25`; the next one is started (from a queued
/// call) as soon as the last returns, so there is never more than one. Sending by
/// `POST /api/messages?via=longpoll` on a second keep-alive connection.
class LongPollTransport final : public ChatTransport
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LongPollTransport)

public:
    explicit LongPollTransport(const TransportContext &context, QObject *parent = nullptr);
    ~LongPollTransport() override;

    Transport kind() const override { return Transport::LongPoll; }
    void open(qint64 after) override;
    void send(qint64 id, const QString &text, const QString &clientId) override;
    void close() override;
    void stopReceiving() override;

private:
    void poll();
    void onPollFinished(const HttpResponse &response);
    void onPollFailed(ErrorCode code, const QString &message);

    HttpClient *m_pollHttp;
    PostQueue *m_posts;
    qint64 m_after = 0;
    bool m_first = true;
};

} // namespace PushChat
