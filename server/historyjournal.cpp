#include "historyjournal.h"

#include "historywriter.h"

namespace PushChat {

HistoryJournal::HistoryJournal(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<StoredMessages>();
    qRegisterMetaType<HistoryEpoch>();
    m_thread.setObjectName(QStringLiteral("PushChat history"));
}

HistoryJournal::~HistoryJournal()
{
    closeWriter();
}

void HistoryJournal::closeWriter()
{
    if (!m_writer)
        return;
    if (!m_batch.isEmpty() && !m_failed)
        handOver();
    // Queued after every batch handed over, so those are committed before the file closes.
    QMetaObject::invokeMethod(m_writer.get(), &HistoryWriter::close, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
    m_writer.reset();
}

std::optional<StoredHistory> HistoryJournal::open(const QString &path, int retention,
                                                  HistoryStore::Sync sync)
{
    Q_ASSERT(!isOpen());
    m_writer = std::make_unique<HistoryWriter>(sync);
    m_writer->moveToThread(&m_thread);
    connect(m_writer.get(), &HistoryWriter::durable, this, &HistoryJournal::onDurable);
    connect(m_writer.get(), &HistoryWriter::failed, this, &HistoryJournal::onWriterFailed);
    connect(m_writer.get(), &HistoryWriter::cleared, this,
            [this](HistoryEpoch epoch, qint64 startSeq) {
                m_epoch = epoch;
                emit cleared(epoch, startSeq);
            });
    connect(m_writer.get(), &HistoryWriter::clearFailed, this, &HistoryJournal::clearFailed);
    m_thread.start();

    std::optional<StoredHistory> history;
    QString error;
    QMetaObject::invokeMethod(
        m_writer.get(), [&] { history = m_writer->open(path, retention, &error); },
        Qt::BlockingQueuedConnection);
    if (!history) {
        m_errorString = error;
        closeWriter();
        return std::nullopt;
    }
    m_open = true;
    m_epoch = history->epoch;
    m_submittedSeq = m_durableSeq = history->room.lastSeq;
    m_errorString.clear();
    return history;
}

void HistoryJournal::openInMemory(HistoryEpoch epoch, qint64 lastSeq)
{
    Q_ASSERT(!isOpen());
    m_open = true;
    m_epoch = epoch.isNull() ? HistoryEpoch::generate() : epoch;
    m_submittedSeq = m_durableSeq = lastSeq;
    m_errorString.clear();
}

qint64 HistoryJournal::submit(const ChatMessage &message, const QString &clientKey)
{
    Q_ASSERT(isOpen());
    if (m_failed || !m_open)
        return 0;
    StoredMessage stored{message, clientKey};
    stored.message.seq = ++m_submittedSeq;
    if (!clientKey.isEmpty())
        m_pendingSeqByClientKey.insert(clientKey, stored.message.seq);
    m_pending.push_back(stored);
    m_batch.append(std::move(stored));
    // Posted events run when this pass of the event loop is over: everything submitted until
    // then travels, and is committed, together.
    if (!m_handOverPosted) {
        m_handOverPosted = true;
        QMetaObject::invokeMethod(
            this,
            [this] {
                m_handOverPosted = false;
                handOver();
            },
            Qt::QueuedConnection);
    }
    return m_submittedSeq;
}

const StoredMessage *HistoryJournal::findPending(const QString &clientKey) const
{
    const auto it = m_pendingSeqByClientKey.constFind(clientKey);
    if (clientKey.isEmpty() || it == m_pendingSeqByClientKey.cend() || m_pending.empty())
        return nullptr;
    return &m_pending[size_t(*it - m_pending.front().message.seq)];
}

void HistoryJournal::handOver()
{
    if (m_batch.isEmpty() || m_failed)
        return;
    StoredMessages batch = std::exchange(m_batch, {});
    if (m_writer) {
        QMetaObject::invokeMethod(
            m_writer.get(),
            [writer = m_writer.get(), batch = std::move(batch)] { writer->append(batch); },
            Qt::QueuedConnection);
    } else {
        onDurable(batch.back().message.seq, 0);
    }
}

void HistoryJournal::onDurable(qint64 lastSeq, quint64 commitCount)
{
    m_commitCount = commitCount;
    StoredMessages messages;
    messages.reserve(qsizetype(qMin<qint64>(lastSeq - m_durableSeq, qint64(m_pending.size()))));
    while (!m_pending.empty() && m_pending.front().message.seq <= lastSeq) {
        StoredMessage &stored = m_pending.front();
        if (!stored.clientKey.isEmpty())
            m_pendingSeqByClientKey.remove(stored.clientKey);
        messages.append(std::move(stored));
        m_pending.pop_front();
    }
    m_durableSeq = lastSeq;
    if (!messages.isEmpty())
        emit durable(messages);
}

void HistoryJournal::onWriterFailed(const QString &error)
{
    m_failed = true;
    m_errorString = error;
    StoredMessages lost(m_pending.begin(), m_pending.end());
    m_pending.clear();
    m_pendingSeqByClientKey.clear();
    m_batch.clear();
    emit failed(error, lost);
}

void HistoryJournal::clear()
{
    // What was submitted before goes into the old history, what is submitted after into the
    // new one: the writer (or, in memory, this call) takes them in that order.
    if (!m_batch.isEmpty() && !m_failed)
        handOver();
    if (m_writer) {
        QMetaObject::invokeMethod(m_writer.get(), &HistoryWriter::clear, Qt::QueuedConnection);
    } else {
        m_epoch = HistoryEpoch::generate();
        emit cleared(m_epoch, m_durableSeq);
    }
}

} // namespace PushChat
