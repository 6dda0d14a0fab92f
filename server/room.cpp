#include "room.h"

#include "jsoncodec.h"
#include "websocketframe.h"

#include <QJsonDocument>

namespace PushChat {

Room::Room(int historyLimit)
    : m_historyLimit(qMax(1, historyLimit))
{}

const Room::Entry &Room::append(MessageKind kind, const QString &nick, const QString &text,
                                qint64 ts, const QString &clientKey)
{
    ChatMessage message;
    message.seq = ++m_lastSeq;
    message.ts = ts;
    message.nick = nick;
    message.text = text;
    message.kind = kind;
    push(message, clientKey);
    return m_entries.back();
}

const Room::Entry &Room::append(const ChatMessage &message, const QString &clientKey)
{
    Q_ASSERT(message.seq == m_lastSeq + 1);
    m_lastSeq = message.seq;
    push(message, clientKey);
    return m_entries.back();
}

QString Room::clientKey(const QString &nick, const QString &clientId)
{
    return clientId.isEmpty() ? QString() : nick + u'\n' + clientId;
}

const Room::Entry *Room::findByClientKey(const QString &clientKey) const
{
    const auto it = m_seqByClientKey.constFind(clientKey);
    if (clientKey.isEmpty() || it == m_seqByClientKey.cend() || *it < firstRetainedSeq())
        return nullptr;
    return &m_entries[size_t(*it - firstRetainedSeq())];
}

QByteArray Room::Entry::json() const
{
    QByteArray out;
    appendJson(out);
    return out;
}

void Room::Entry::appendJson(QByteArray &out) const
{
    const QByteArrayView payload = WebSocketFrame::payloadOf(webSocketFrame);
    Q_ASSERT(payload.startsWith(JsonCodec::WebSocketMessagePrefix));
    out.append('{').append(payload.sliced(JsonCodec::WebSocketMessagePrefix.size()));
}

QByteArray Room::Slice::page(qint64 lastSeq, qint64 now) const
{
    QByteArray out;
    out.reserve(messagesSizeBound() + 96);
    out.append(JsonCodec::PageHead);
    appendMessages(out);
    JsonCodec::appendPageTail(out, lastSeq, gap, now, reset, more, epoch);
    return out;
}

QByteArray Room::Slice::array() const
{
    QByteArray out;
    out.reserve(messagesSizeBound() + 2);
    out.append('[');
    appendMessages(out);
    return out.append(']');
}

qsizetype Room::Slice::messagesSizeBound() const
{
    // A message object is its frame minus the frame header and `"type":"message",`; the
    // comma that follows it fits in what is left.
    qsizetype size = 0;
    for (const Entry *entry : entries)
        size += entry->webSocketFrame.size();
    return size;
}

void Room::Slice::appendMessages(QByteArray &out) const
{
    for (qsizetype i = 0; i < entries.size(); ++i) {
        if (i > 0)
            out.append(',');
        entries.at(i)->appendJson(out);
    }
}

void Room::push(const ChatMessage &message, const QString &clientKey)
{
    Entry entry;
    entry.seq = message.seq;
    entry.ts = message.ts;
    entry.clientKey = clientKey;
    if (!clientKey.isEmpty())
        m_seqByClientKey.insert(clientKey, message.seq);
    entry.webSocketFrame =
        WebSocketFrame::text(JsonCodec::webSocketMessage(JsonCodec::encodeMessage(message)));
    m_entries.push_back(std::move(entry));
    while (m_entries.size() > size_t(m_historyLimit)) {
        if (!m_entries.front().clientKey.isEmpty())
            m_seqByClientKey.remove(m_entries.front().clientKey);
        m_entries.pop_front();
    }
}

qint64 Room::firstRetainedSeq() const
{
    return m_entries.empty() ? m_lastSeq + 1 : m_entries.front().seq;
}

Room::Slice Room::after(qint64 cursor, HistoryEpoch epoch, PageBound bound) const
{
    Slice slice;
    slice.epoch = m_epochText;
    // A cursor of 0 holds nothing of any history: it starts this one, with nothing to reset.
    if (cursor > 0 && (cursor > m_lastSeq || (!epoch.isNull() && epoch != m_epoch))) {
        slice.reset = true;
        cursor = 0;
    }
    cursor = qMax<qint64>(cursor, 0);
    const qint64 first = firstRetainedSeq();
    // Seqs up to startSeq belong to a history that was cleared: not missed, never there.
    slice.gap = qMax(cursor, m_startSeq) + 1 < first && cursor < m_lastSeq;
    const qint64 from = qMax(cursor + 1, first);
    if (from <= m_lastSeq)
        slice.entries.reserve(qMin(m_lastSeq - from + 1, qint64(bound.messages)));
    qsizetype bytes = 0;
    for (qint64 seq = from; seq <= m_lastSeq; ++seq) {
        const Entry &entry = m_entries[size_t(seq - first)];
        bytes += entry.webSocketFrame.size();
        if (!slice.entries.isEmpty() &&
            (slice.entries.size() >= bound.messages || bytes > bound.bytes)) {
            slice.more = true;
            break;
        }
        slice.entries.append(&entry);
    }
    return slice;
}

QList<ChatMessage> Room::retainedMessages() const
{
    // Only a stop asks for these: decoding the stored JSON again costs less than keeping a
    // decoded copy of every message.
    QList<ChatMessage> messages;
    messages.reserve(qsizetype(m_entries.size()));
    for (const Entry &entry : m_entries) {
        const auto message =
            JsonCodec::decodeMessage(QJsonDocument::fromJson(entry.json()).object());
        Q_ASSERT(message);
        if (message)
            messages.append(*message);
    }
    return messages;
}

QHash<qint64, QString> Room::retainedClientKeys() const
{
    QHash<qint64, QString> keys;
    for (const Entry &entry : m_entries) {
        if (!entry.clientKey.isEmpty())
            keys.insert(entry.seq, entry.clientKey);
    }
    return keys;
}

void Room::restore(const QList<ChatMessage> &messages, qint64 lastSeq,
                   const QHash<qint64, QString> &clientKeys)
{
    m_entries.clear();
    m_seqByClientKey.clear();
    for (const ChatMessage &message : messages)
        push(message, clientKeys.value(message.seq));
    m_lastSeq = qMax(lastSeq, messages.isEmpty() ? 0 : messages.back().seq);
}

void Room::setHistory(HistoryEpoch epoch, qint64 startSeq)
{
    m_epoch = epoch;
    m_epochText = epoch.isNull() ? QString() : epoch.toString();
    m_startSeq = startSeq;
}

void Room::clear(HistoryEpoch epoch)
{
    m_entries.clear();
    m_seqByClientKey.clear();
    setHistory(epoch, m_lastSeq);
}

} // namespace PushChat
