#include "clientlog.h"

Q_LOGGING_CATEGORY(lcClient, "pushchat.client")
Q_LOGGING_CATEGORY(lcClientHttp, "pushchat.client.http")
Q_LOGGING_CATEGORY(lcClientPolling, "pushchat.client.polling")
Q_LOGGING_CATEGORY(lcClientLongPoll, "pushchat.client.longpoll")
Q_LOGGING_CATEGORY(lcClientWebSocket, "pushchat.client.websocket")
