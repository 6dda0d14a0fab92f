#pragma once

#include <QLoggingCategory>

// One category per area of the client library.
Q_DECLARE_LOGGING_CATEGORY(lcClient)    // pushchat.client
Q_DECLARE_LOGGING_CATEGORY(lcHttp)      // pushchat.client.http
Q_DECLARE_LOGGING_CATEGORY(lcPolling)   // pushchat.client.polling
Q_DECLARE_LOGGING_CATEGORY(lcLongPoll)  // pushchat.client.longpoll
Q_DECLARE_LOGGING_CATEGORY(lcWebSocket) // pushchat.client.websocket
