#include "fault.h"

#include <QCoreApplication>

namespace PushChat {

QString Fault::label() const
{
    switch (action) {
    case Action::Drop:
        return QCoreApplication::translate("Fault", "drop all");
    case Action::Latency:
        return value > 0 ? QCoreApplication::translate("Fault", "latency %1 ms").arg(value)
                         : QCoreApplication::translate("Fault", "latency off");
    case Action::ProxyTimeout:
        return value > 0 ? QCoreApplication::translate("Fault", "proxy timeout %1 s").arg(value)
                         : QCoreApplication::translate("Fault", "proxy timeout off");
    case Action::Block:
        return technique
                   ? QCoreApplication::translate("Fault", "block %1").arg(transportName(*technique))
                   : QCoreApplication::translate("Fault", "unblock");
    case Action::Restart:
        return QCoreApplication::translate("Fault", "restart");
    }
    return {};
}

namespace {
struct ActionName
{
    Fault::Action action;
    QLatin1StringView name;
};
constexpr ActionName ActionNames[] = {
    {Fault::Action::Drop, QLatin1StringView("drop")},
    {Fault::Action::Latency, QLatin1StringView("latency")},
    {Fault::Action::ProxyTimeout, QLatin1StringView("proxy-timeout")},
    {Fault::Action::Block, QLatin1StringView("block")},
    {Fault::Action::Restart, QLatin1StringView("restart")},
};
} // namespace

QLatin1StringView faultActionName(Fault::Action action)
{
    for (const ActionName &entry : ActionNames) {
        if (entry.action == action)
            return entry.name;
    }
    return {};
}

std::optional<Fault::Action> faultActionFromName(QStringView name)
{
    for (const ActionName &entry : ActionNames) {
        if (name == entry.name)
            return entry.action;
    }
    return std::nullopt;
}

} // namespace PushChat
