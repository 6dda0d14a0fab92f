#include "presence.h"

#include <algorithm>

namespace PushChat {

Presence::Presence(qint64 timeoutMs)
    : m_timeoutMs(timeoutMs)
{}

bool Presence::touch(const QString &nick, std::optional<Transport> transport, qint64 nowMs)
{
    auto it = m_members.find(nick);
    const bool isNew = it == m_members.end();
    if (isNew)
        it = m_members.insert(nick, Member{nick, transport, 0, 0});
    if (it->openWebSockets == 0 && transport)
        it->transport = *transport;
    it->expiresAtMs = qMax(it->expiresAtMs, nowMs + m_timeoutMs);
    return isNew;
}

bool Presence::webSocketOpened(const QString &nick, qint64 nowMs)
{
    auto it = m_members.find(nick);
    const bool isNew = it == m_members.end();
    if (isNew)
        it = m_members.insert(nick, Member{nick, Transport::WebSocket, nowMs, 0});
    ++it->openWebSockets;
    it->transport = Transport::WebSocket;
    return isNew;
}

void Presence::webSocketClosed(const QString &nick, qint64 nowMs, qint64 graceMs)
{
    auto it = m_members.find(nick);
    if (it == m_members.end())
        return;
    it->openWebSockets = qMax(0, it->openWebSockets - 1);
    it->expiresAtMs = qMax(it->expiresAtMs, nowMs + graceMs);
}

QStringList Presence::expire(qint64 nowMs)
{
    QStringList gone;
    for (auto it = m_members.begin(); it != m_members.end();) {
        if (it->openWebSockets == 0 && it->expiresAtMs <= nowMs) {
            gone.append(it->nick);
            it = m_members.erase(it);
        } else {
            ++it;
        }
    }
    std::sort(gone.begin(), gone.end());
    return gone;
}

std::optional<qint64> Presence::nextExpiryMs() const
{
    std::optional<qint64> next;
    for (const Member &member : m_members) {
        if (member.openWebSockets == 0 && (!next || member.expiresAtMs < *next))
            next = member.expiresAtMs;
    }
    return next;
}

std::optional<qint64> Presence::expiryOf(const QString &nick) const
{
    const auto it = m_members.constFind(nick);
    if (it == m_members.constEnd() || it->openWebSockets > 0)
        return std::nullopt;
    return it->expiresAtMs;
}

QList<Presence::Member> Presence::members() const
{
    QList<Member> list = m_members.values();
    std::sort(list.begin(), list.end(),
              [](const Member &a, const Member &b) { return a.nick < b.nick; });
    return list;
}

} // namespace PushChat
