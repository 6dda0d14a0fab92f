#pragma once

#include <QString>
#include <QStringView>

#include <optional>

namespace PushChat {

inline constexpr int ProtocolVersion = 1;

// The three ways a server can push to a client; the names are the wire names.
enum class Transport { Polling, LongPoll, WebSocket };

QString transportName(Transport transport);
std::optional<Transport> transportFromName(QStringView name);

namespace Paths {
inline constexpr char Messages[] = "/api/messages";
inline constexpr char Room[] = "/api/room";
inline constexpr char Stats[] = "/api/stats";
inline constexpr char WebSocket[] = "/ws";
inline constexpr char Echo[] = "/echo";
inline constexpr char CompatNewMessage[] = "/new-message";
inline constexpr char CompatUpdateMessage[] = "/update-message";
} // namespace Paths

// WebSocket close codes the server uses besides the standard ones.
namespace CloseCode {
inline constexpr int Unauthorized = 4401;
inline constexpr int Forbidden = 4403;
inline constexpr int BadRequest = 4400;
} // namespace CloseCode

} // namespace PushChat
