#pragma once

#include <QByteArray>
#include <QObject>
#include <QTimer>

#include <deque>
#include <functional>

namespace PushChat {

/// Bytes held back for a while before they go out, in the order they came: the "added
/// latency" fault of one connection. A single-shot timer wakes it when the oldest is due, so
/// the server's thread never waits.
class DelayedOutput final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DelayedOutput)

public:
    /// `sink` writes bytes whose time has come.
    explicit DelayedOutput(std::function<void(const QByteArray &)> sink, QObject *parent = nullptr);

    /// Sends `bytes` after `delayMs`, never before what was pushed earlier.
    void push(const QByteArray &bytes, int delayMs);
    bool isEmpty() const { return m_queue.empty(); }
    /// Bytes held back now (they count towards a connection's unsent answers).
    qint64 heldBytes() const { return m_heldBytes; }
    /// Forgets everything still held (the connection is gone).
    void clear();

signals:
    /// The last held bytes went out.
    void drained();

private:
    struct Held
    {
        qint64 dueMs;
        QByteArray bytes;
    };
    void release();
    void schedule();

    std::function<void(const QByteArray &)> m_sink;
    std::deque<Held> m_queue;
    QTimer m_timer;
    qint64 m_heldBytes = 0;
};

} // namespace PushChat
