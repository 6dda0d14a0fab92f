#pragma once

#include "chattransport.h"

#include <QObject>
#include <QQueue>
#include <QString>

namespace PushChat {

class HttpClient;
struct HttpResponse;

/// The sending half of both HTTP transports: `POST /api/messages?via=…` one at a time on a
/// keep-alive connection of its own, in the order given.
class PostQueue final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PostQueue)

public:
    PostQueue(Transport via, const TransportContext &context, QObject *parent = nullptr);
    ~PostQueue() override;

    void enqueue(qint64 id, const QString &text, const QString &clientId);
    void abort();

signals:
    void accepted(qint64 id, qint64 seq, qint64 ts);
    void rejected(qint64 id, PushChat::ErrorCode code, const QString &message);
    /// The connection failed: the message in flight has an unknown fate.
    void failed(PushChat::ErrorCode code, const QString &message);

private:
    struct Item
    {
        qint64 id;
        QString text;
        QString clientId;
    };
    void next();
    void onFinished(const HttpResponse &response);

    Transport m_via;
    TransportContext m_context;
    HttpClient *m_http;
    QQueue<Item> m_queue;
    bool m_inFlight = false;
    bool m_aborted = false;
};

} // namespace PushChat
