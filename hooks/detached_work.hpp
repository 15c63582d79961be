#pragma once
// How a hook ends: git waits for the hook to exit and for the end of its
// output before the push goes on, so the hook exits as soon as its answer is
// written, and what only matters to later pushes (a cache) is done by a child
// that has let go of that output.

#include <functional>

namespace pushgate {

// Flushes the standard streams and ends this process with `status` at once:
// no destructors or exit handlers run (the operating system frees what they
// would, sooner). `work`, when given, runs in a child process in a session of
// its own with standard input, output and error on /dev/null; when no child
// can be made, it runs before the exit. What `work` throws is dropped: nobody
// is left to tell. Call it with no other thread running: the child has only
// the calling thread.
[[noreturn]] void exit_then_run(int status, const std::function<void()>& work);

}  // namespace pushgate
