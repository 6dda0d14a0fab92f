#pragma once

#include "httpparser.h"
#include "requestdecoding.h"
#include "serverstats.h"

namespace PushChat {

class HttpConnection;
class LongPollParking;
class Presence;
class Room;
class RoomServer;
struct ServerConfig;

/// The HTTP side of the room (docs/PROTOCOL.md): routing, polls and long polls, posts, the
/// room and stats documents, the browser client's files and the tutorial's compatibility
/// endpoints (/new-message, /update-message). WebSocket upgrades go to WebSocketHub.
class HttpApi
{
    Q_DISABLE_COPY_MOVE(HttpApi)

public:
    HttpApi(RoomServer &server, LongPollParking &parking);

    /// Which statistics a request is charged to, decided from its head.
    static StatsBucket classify(const Http::Request &request);
    void handleRequest(HttpConnection *connection, const Http::Request &request);

private:
    void handleGetMessages(HttpConnection *connection, const QueryItems &query);
    void handlePostMessage(HttpConnection *connection, const Http::Request &request,
                           const QueryItems &query);
    void handleCompatNewMessage(HttpConnection *connection, const Http::Request &request,
                                const QueryItems &query);
    void handleCompatUpdate(HttpConnection *connection, const Http::Request &request,
                            const QueryItems &query);
    void handleRoom(HttpConnection *connection);
    void handleStats(HttpConnection *connection);
    void handleStatic(HttpConnection *connection, const Http::Request &request);

    RoomServer &m_server;
    const ServerConfig &m_config;
    const Room &m_room;
    const Presence &m_presence;
    LongPollParking &m_parking;
};

} // namespace PushChat
