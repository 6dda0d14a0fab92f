#include "room.h"

#include "jsoncodec.h"
#include "websocketframe.h"

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

void Room::push(const ChatMessage &message, const QString &clientKey)
{
    Entry entry;
    entry.message = message;
    entry.clientKey = clientKey;
    if (!clientKey.isEmpty())
        m_seqByClientKey.insert(clientKey, message.seq);
    entry.json = JsonCodec::encodeMessage(message);
    entry.webSocketFrame = WebSocketFrame::text(JsonCodec::webSocketMessage(entry.json));
    m_entries.push_back(std::move(entry));
    while (m_entries.size() > size_t(m_historyLimit)) {
        if (!m_entries.front().clientKey.isEmpty())
            m_seqByClientKey.remove(m_entries.front().clientKey);
        m_entries.pop_front();
    }
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
    slice.gap = cursor + 1 < firstRetainedSeq() && cursor < m_lastSeq;
    const QList<const Entry *> entries = entriesAfter(cursor);
    slice.json.reserve(entries.size());
    for (const Entry *entry : entries)
        slice.json.append(entry->json);
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

QHash<qint64, QString> Room::retainedClientKeys() const
{
    QHash<qint64, QString> keys;
    for (const Entry &entry : m_entries) {
        if (!entry.clientKey.isEmpty())
            keys.insert(entry.message.seq, entry.clientKey);
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

} // namespace PushChat
