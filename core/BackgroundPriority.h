#pragma once

namespace workdeck {

/// Lowers the scheduling priority of the calling thread (a nice value of 10 on Linux; a no-op
/// elsewhere). Every thread that works in the background — pool workers, the history writer,
/// imports, exports and the search indexer — calls it, so that with all cores busy the window's
/// thread is still scheduled at once. A headless run on an otherwise idle machine loses nothing:
/// niceness only matters when threads compete.
void lowerCurrentThreadPriority();

} // namespace workdeck
