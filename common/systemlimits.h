#pragma once

namespace PushChat {

/// Raises the soft limit of open files to the hard limit, so thousands of sockets fit.
/// Returns the soft limit now in force, or -1 if it could not be read.
long raiseOpenFileLimit();

} // namespace PushChat
