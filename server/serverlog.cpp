#include "serverlog.h"

Q_LOGGING_CATEGORY(lcServer, "pushchat.server")
Q_LOGGING_CATEGORY(lcHttp, "pushchat.server.http")
Q_LOGGING_CATEGORY(lcWebSocket, "pushchat.server.websocket")
Q_LOGGING_CATEGORY(lcHistory, "pushchat.server.history")
