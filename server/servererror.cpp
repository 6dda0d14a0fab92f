#include "servererror.h"

namespace PushChat {

ServerError::Kind ServerError::kindOf(QAbstractSocket::SocketError error)
{
    switch (error) {
    case QAbstractSocket::AddressInUseError:
        return Kind::AddressInUse;
    case QAbstractSocket::SocketAccessError:
        return Kind::AccessDenied;
    case QAbstractSocket::SocketAddressNotAvailableError:
        return Kind::AddressNotAvailable;
    default:
        return Kind::Other;
    }
}

} // namespace PushChat
