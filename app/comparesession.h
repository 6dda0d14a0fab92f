#pragma once

#include "clienttls.h"

#include "protocol.h"
#include "transportmetrics.h"

#include <QObject>
#include <QUrl>

#include <array>

namespace PushChat {

class ChatClient;
class DeliveryLog;
class TrafficGenerator;
struct Delivery;

/// Three observers of one room, one per technique (polling, long polling, WebSocket), built on
/// ChatClient: each receives every message on its own, so the same message can be watched
/// arriving three ways. Observers have no nick: they send nothing and their counters hold
/// only what receiving costs. The traffic generator's bots send; they are not observed.
class CompareSession final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CompareSession)

public:
    static constexpr Transport Techniques[] = {Transport::Polling, Transport::LongPoll,
                                               Transport::WebSocket};

    explicit CompareSession(QObject *parent = nullptr);
    ~CompareSession() override;

    /// Connects three new observers to `url`; messages up to `baselineSeq` (already in the
    /// room) are not timed.
    void start(const QUrl &url, const QString &key, int pollIntervalMs, qint64 baselineSeq,
               const ClientTls &tls = {});
    void stop();
    bool isRunning() const { return m_running; }

    void setPollInterval(int ms);
    int pollInterval() const { return m_pollIntervalMs; }

    ChatClient *observer(Transport technique) const { return m_observers[size_t(technique)]; }
    DeliveryLog *deliveries(Transport technique) const { return m_logs[size_t(technique)]; }
    TransportMetrics metrics(Transport technique) const;
    TrafficGenerator *generator() const { return m_generator; }

signals:
    void delivered(const PushChat::Delivery &delivery);
    void metricsChanged(PushChat::Transport technique);
    void started();
    void stopped();

private:
    std::array<ChatClient *, 3> m_observers{};
    std::array<DeliveryLog *, 3> m_logs{};
    TrafficGenerator *m_generator;
    int m_pollIntervalMs = 1000;
    bool m_running = false;
};

} // namespace PushChat
