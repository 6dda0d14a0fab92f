#pragma once

#include <QLoggingCategory>

// One category per area of the client library.
Q_DECLARE_LOGGING_CATEGORY(lcClient)          // pushchat.client
Q_DECLARE_LOGGING_CATEGORY(lcClientHttp)      // pushchat.client.http
Q_DECLARE_LOGGING_CATEGORY(lcClientPolling)   // pushchat.client.polling
Q_DECLARE_LOGGING_CATEGORY(lcClientLongPoll)  // pushchat.client.longpoll
Q_DECLARE_LOGGING_CATEGORY(lcClientWebSocket) // pushchat.client.websocket
