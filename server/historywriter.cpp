#include "historywriter.h"

#include "serverlog.h"

namespace PushChat {

HistoryWriter::HistoryWriter(HistoryStore::Sync sync, QObject *parent)
    : QObject(parent)
    , m_store(sync)
{}

HistoryWriter::~HistoryWriter() = default;

std::optional<StoredHistory> HistoryWriter::open(const QString &path, int retention, QString *error)
{
    m_failed = false;
    m_queued.clear();
    std::optional<StoredHistory> history = m_store.open(path, retention);
    if (!history && error)
        *error = m_store.errorString();
    return history;
}

void HistoryWriter::close()
{
    commitQueued();
    m_store.close();
}

void HistoryWriter::append(const StoredMessages &batch)
{
    if (m_failed)
        return;
    m_queued.append(batch);
    // Batches already queued behind this call are delivered before the posted commit runs.
    if (!m_commitPosted) {
        m_commitPosted = true;
        QMetaObject::invokeMethod(this, &HistoryWriter::commitQueued, Qt::QueuedConnection);
    }
}

void HistoryWriter::commitQueued()
{
    m_commitPosted = false;
    if (m_failed || m_queued.isEmpty())
        return;
    if (!m_store.append(m_queued)) {
        m_failed = true;
        m_queued.clear();
        qCWarning(lcHistory).noquote() << m_store.errorString();
        emit failed(m_store.errorString());
        return;
    }
    m_queued.clear();
    emit durable(m_store.lastSeq(), m_store.commitCount());
}

void HistoryWriter::clear()
{
    commitQueued();
    if (m_failed)
        return;
    if (const std::optional<HistoryEpoch> epoch = m_store.clear()) {
        emit cleared(*epoch, m_store.startSeq());
    } else {
        qCWarning(lcHistory).noquote() << m_store.errorString();
        emit clearFailed(m_store.errorString());
    }
}

} // namespace PushChat
