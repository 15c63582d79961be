#include "daemon/event_log.hpp"

#include <unistd.h>

#include <mutex>
#include <string>

#include "core/util/terminal_text.hpp"
#include "core/util/write_all.hpp"

namespace pushgate::daemon {

void log_event(std::string_view message) {
  static std::mutex mutex;
  // Messages quote ref names, pushers and command output: escaped, no
  // message can print a line of its own.
  std::string line = fmt::format("pushgated: {}\n", escape_control(message));
  std::lock_guard lock(mutex);
  // One write per line, so lines from workers never interleave mid-line.
  (void)write_all(STDERR_FILENO, line);
}

}  // namespace pushgate::daemon
