#include "timeline.h"

#include <array>
#include <deque>

namespace PushChat {

namespace {
struct OpenRequests
{
    std::deque<int> polls;  ///< indexes into Timeline::bars
    std::deque<int> others; ///< posts and other requests
};

bool isPoll(const QString &detail)
{
    return detail.startsWith(QLatin1String("GET ")) &&
           detail.contains(QLatin1String(Paths::Messages));
}
} // namespace

Timeline Timeline::build(const QList<ClientEvent> &events, qint64 nowMs)
{
    Timeline timeline;
    std::array<OpenRequests, 3> open;
    auto closeAll = [&](Transport lane, qint64 time, Bar::Kind kind) {
        OpenRequests &o = open[size_t(lane)];
        for (const std::deque<int> *queue : {&o.polls, &o.others}) {
            for (int index : *queue) {
                timeline.bars[index].endMs = time;
                timeline.bars[index].kind = kind;
            }
        }
        o.polls.clear();
        o.others.clear();
    };
    auto closeOldest = [&](std::deque<int> &queue, qint64 time, Bar::Kind kind, int count) {
        if (queue.empty())
            return false;
        Bar &bar = timeline.bars[queue.front()];
        queue.pop_front();
        bar.endMs = time;
        bar.kind = kind;
        bar.count = count;
        return true;
    };

    for (const ClientEvent &event : events) {
        OpenRequests &o = open[size_t(event.transport)];
        switch (event.type) {
        case ClientEvent::Type::RequestSent: {
            Bar bar;
            bar.lane = event.transport;
            bar.startMs = event.timeMs;
            bar.endMs = nowMs;
            bar.kind = Bar::Kind::Pending;
            timeline.bars << bar;
            (isPoll(event.detail) ? o.polls : o.others).push_back(int(timeline.bars.size()) - 1);
            break;
        }
        case ClientEvent::Type::ResponseEmpty:
            if (!closeOldest(o.polls, event.timeMs, Bar::Kind::Empty, 0))
                closeOldest(o.others, event.timeMs, Bar::Kind::Empty, 0);
            break;
        case ClientEvent::Type::ResponseMessages:
            // Poll pages carry a count; posts and other answers are logged with none.
            if (event.count > 0) {
                if (!closeOldest(o.polls, event.timeMs, Bar::Kind::Messages, event.count))
                    closeOldest(o.others, event.timeMs, Bar::Kind::Messages, event.count);
            } else if (!closeOldest(o.others, event.timeMs, Bar::Kind::Post, 0)) {
                closeOldest(o.polls, event.timeMs, Bar::Kind::Post, 0);
            }
            break;
        case ClientEvent::Type::FrameOut:
        case ClientEvent::Type::FrameIn: {
            Tick tick;
            tick.lane = event.transport;
            tick.timeMs = event.timeMs;
            tick.outgoing = event.type == ClientEvent::Type::FrameOut;
            tick.control =
                event.detail == QLatin1String("control") || (!tick.outgoing && event.count == 0);
            tick.count = event.count;
            timeline.ticks << tick;
            break;
        }
        case ClientEvent::Type::Reconnect:
        case ClientEvent::Type::Error:
        case ClientEvent::Type::ModeSwitch: {
            Marker marker;
            marker.lane = event.transport;
            marker.timeMs = event.timeMs;
            marker.detail = event.detail;
            marker.kind = event.type == ClientEvent::Type::Reconnect ? Marker::Kind::Reconnect
                          : event.type == ClientEvent::Type::Error   ? Marker::Kind::Error
                                                                     : Marker::Kind::ModeSwitch;
            timeline.markers << marker;
            if (event.type != ClientEvent::Type::ModeSwitch) {
                closeAll(event.transport, event.timeMs, Bar::Kind::Aborted);
            } else {
                // The old transport was closed on purpose: whatever it still waited for ends
                // here, and that is no failure.
                for (const Transport lane :
                     {Transport::Polling, Transport::LongPoll, Transport::WebSocket}) {
                    if (lane != event.transport)
                        closeAll(lane, event.timeMs, Bar::Kind::Switched);
                }
            }
            break;
        }
        case ClientEvent::Type::ConnectionOpened:
        case ClientEvent::Type::ConnectionClosed:
            break;
        }
    }
    return timeline;
}

} // namespace PushChat
