#pragma once

#include "faultsettings.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QString>
#include <QTimer>

#include <functional>
#include <optional>

namespace PushChat {

/// The faults a room server shows now (FaultSettings), on the server's thread. The transports
/// ask it in a few local hooks: HttpConnection and WebSocketPeer hold their output back by
/// addedLatencyMs(), HttpApi shortens a parked poll with heldRequestDeadline() and refuses a
/// blocked technique with refusal(), and a timer cuts WebSockets silent for the proxy timeout.
/// It also holds the faults done lately, which HttpApi lists in /api/room.
class FaultInjector final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FaultInjector)

public:
    /// Why a request was refused: what HttpConnection::respondError() needs.
    struct Refusal
    {
        int status;
        QString message;
        QByteArray extraHeaders;
    };

    explicit FaultInjector(const FaultSettings &settings, QObject *parent = nullptr);

    /// Cuts every WebSocket that has been silent since the given monotonic time.
    void setSilenceCutter(std::function<void(qint64 silentSinceMs)> cutter)
    {
        m_cutSilent = std::move(cutter);
    }
    /// Starts what runs on the server's thread (the silence check); call from there.
    void start();
    void stop();

    /// Applies new settings at once; values out of range are clamped.
    void apply(const FaultSettings &settings);
    const FaultSettings &settings() const { return m_settings; }

    int addedLatencyMs() const { return m_settings.addedLatencyMs; }
    /// The deadline a request held from `nowMs` to `deadlineMs` really gets: earlier when a
    /// proxy timeout is shorter.
    qint64 heldRequestDeadline(qint64 nowMs, qint64 deadlineMs) const;
    /// The faults done lately, oldest first, as `faults` in /api/room announces them.
    void setRecentFaults(const QList<FaultNotice> &faults) { m_recentFaults = faults; }
    const QList<FaultNotice> &recentFaults() const { return m_recentFaults; }

    /// A refusal when `technique` is blocked.
    std::optional<Refusal> refusal(Transport technique) const;

    /// The header a refusal carries, naming the blocked technique (docs/PROTOCOL.md).
    static constexpr char BlockedHeader[] = "PushChat-Blocked";

private:
    void checkSilence();
    void updateSilenceTimer();

    FaultSettings m_settings;
    QList<FaultNotice> m_recentFaults;
    std::function<void(qint64)> m_cutSilent;
    QTimer m_silenceTimer;
    bool m_running = false;
};

} // namespace PushChat
