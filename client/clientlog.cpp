#include "clientlog.h"

Q_LOGGING_CATEGORY(lcClient, "pushchat.client")
Q_LOGGING_CATEGORY(lcHttp, "pushchat.client.http")
Q_LOGGING_CATEGORY(lcPolling, "pushchat.client.polling")
Q_LOGGING_CATEGORY(lcLongPoll, "pushchat.client.longpoll")
Q_LOGGING_CATEGORY(lcWebSocket, "pushchat.client.websocket")
