#pragma once

#include "roominfo.h"
#include "serverstats.h"

#include <QString>

namespace PushChat::OnlineTotals {

/// "3 online — 1 polling · 1 long polling · 1 WebSocket · 0 other": the room's named members
/// by the transport they receive with ("other": senders that only post).
QString members(const RoomInfo &room);

/// "Connected: 303 — 100 polling · 100 long polling · 101 WebSocket · 2 other": the server's open
/// connections per bucket (`other` with monitoring), observers and simulated clients included:
/// they have no nick, so only the server's counters know them.
QString connections(const ServerStats &stats);

} // namespace PushChat::OnlineTotals
