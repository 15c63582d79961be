#include "daemon/event_log.hpp"

#include <unistd.h>

#include <cerrno>
#include <mutex>
#include <string>

namespace pushgate::daemon {

void log_event(std::string_view message) {
  static std::mutex mutex;
  std::string line = fmt::format("pushgated: {}\n", message);
  std::lock_guard lock(mutex);
  // One write per line, so lines from workers never interleave mid-line.
  std::string_view rest = line;
  while (!rest.empty()) {
    ssize_t n = ::write(STDERR_FILENO, rest.data(), rest.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    rest.remove_prefix(static_cast<std::size_t>(n));
  }
}

}  // namespace pushgate::daemon
