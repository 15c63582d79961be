#include "daemon/spool_watch.hpp"

#include <fmt/format.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/util/error.hpp"

namespace pushgate::daemon {

SpoolWatch::SpoolWatch(const std::filesystem::path& new_dir)
    : m_fd(::inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) {
  if (!m_fd) throw Failure(ErrorCode::io, fmt::format("cannot start inotify: {}", std::strerror(errno)));
  if (::inotify_add_watch(m_fd.get(), new_dir.c_str(), IN_MOVED_TO | IN_CLOSE_WRITE) < 0)
    throw Failure(ErrorCode::io,
                  fmt::format("cannot watch '{}': {}", new_dir.string(), std::strerror(errno)));
}

void SpoolWatch::drain() {
  alignas(inotify_event) char buf[16384];
  for (;;) {
    ssize_t n = ::read(m_fd.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
  }
}

}  // namespace pushgate::daemon
