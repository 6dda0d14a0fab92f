#pragma once

namespace PushChat {

/// Raises the soft limit of open files to the hard limit, so thousands of sockets fit.
/// Returns the soft limit now in force, or -1 if it could not be read.
long raiseOpenFileLimit();

/// Makes glibc's malloc keep freed memory for reuse instead of handing it back to the kernel
/// after every large free (answers of 100 KB and more, in a burst): on this kind of guest each
/// return costs a madvise() and the next use a page fault per page. Process-wide; up to 32 MiB
/// per arena stay mapped. No effect without glibc.
void keepFreedMemoryForReuse();

} // namespace PushChat
