#pragma once

#include <QByteArrayView>
#include <QString>

namespace PushChat {

/// Which network interface has the default route: the one a classroom's phones and laptops
/// most likely share with this computer, so its address is the one to project.
class DefaultRoute final
{
public:
    /// The interface of the default route (destination 0.0.0.0, mask 0.0.0.0, flag RTF_UP) in
    /// the text of Linux's /proc/net/route; with several, the one of the lowest metric. Empty
    /// when there is none or the text is not that table.
    static QString interfaceIn(QByteArrayView procNetRoute);
    /// The same for this computer (empty where /proc/net/route cannot be read).
    static QString interfaceName();
};

} // namespace PushChat
