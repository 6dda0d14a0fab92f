#include "statsreport.h"

namespace PushChat {

const char *statsBucketName(StatsBucket bucket)
{
    switch (bucket) {
    case StatsBucket::Polling:
        return "polling";
    case StatsBucket::LongPoll:
        return "longpoll";
    case StatsBucket::WebSocket:
        return "websocket";
    case StatsBucket::Other:
        return "other";
    case StatsBucket::Monitoring:
        return "monitoring";
    }
    return "other";
}

} // namespace PushChat
