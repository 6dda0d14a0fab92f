#include "room.h"

#include "jsoncodec.h"
#include "websocketframe.h"

namespace PushChat {

Room::Room(int historyLimit)
    : m_historyLimit(qMax(1, historyLimit))
{}

const Room::Entry &Room::append(MessageKind kind, const QString &nick, const QString &text,
                                qint64 ts)
{
    ChatMessage message;
    message.seq = ++m_lastSeq;
    message.ts = ts;
    message.nick = nick;
    message.text = text;
    message.kind = kind;
    push(message);
    return m_entries.back();
}

void Room::push(const ChatMessage &message)
{
    Entry entry;
    entry.message = message;
    entry.json = JsonCodec::encodeMessage(message);
    entry.webSocketFrame = WebSocketFrame::text(JsonCodec::webSocketMessage(entry.json));
    m_entries.push_back(std::move(entry));
    while (m_entries.size() > size_t(m_historyLimit))
        m_entries.pop_front();
}

qint64 Room::firstRetainedSeq() const
{
    return m_entries.empty() ? m_lastSeq + 1 : m_entries.front().message.seq;
}

Room::Slice Room::after(qint64 cursor) const
{
    Slice slice;
    if (cursor > m_lastSeq) {
        slice.reset = true;
        cursor = 0;
    }
    cursor = qMax<qint64>(cursor, 0);
    const qint64 first = firstRetainedSeq();
    slice.gap = cursor + 1 < first && cursor < m_lastSeq;
    const qint64 from = qMax(cursor + 1, first);
    slice.json.reserve(qMax<qint64>(0, m_lastSeq - from + 1));
    for (qint64 seq = from; seq <= m_lastSeq; ++seq)
        slice.json.append(m_entries[size_t(seq - first)].json);
    return slice;
}

QList<const Room::Entry *> Room::entriesAfter(qint64 cursor) const
{
    QList<const Entry *> entries;
    const qint64 first = firstRetainedSeq();
    const qint64 from = qMax(qMax<qint64>(cursor, 0) + 1, first);
    for (qint64 seq = from; seq <= m_lastSeq; ++seq)
        entries.append(&m_entries[size_t(seq - first)]);
    return entries;
}

QList<ChatMessage> Room::retainedMessages() const
{
    QList<ChatMessage> messages;
    messages.reserve(qsizetype(m_entries.size()));
    for (const Entry &entry : m_entries)
        messages.append(entry.message);
    return messages;
}

void Room::restore(const QList<ChatMessage> &messages, qint64 lastSeq)
{
    m_entries.clear();
    for (const ChatMessage &message : messages)
        push(message);
    m_lastSeq = qMax(lastSeq, messages.isEmpty() ? 0 : messages.back().seq);
}

} // namespace PushChat
