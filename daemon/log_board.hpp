#pragma once
// Where log followers wait for news: workers announce each log line and
// each finished job, followers wake and read the log file from where they
// were. The file stays the one source of truth; this only says "look again".

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace pushgate::daemon {

class LogBoard {
 public:
  // A counter that changes with every announcement.
  std::uint64_t version() const;
  // Wakes every waiter.
  void announce();
  // Waits until the version differs from `seen`, `timeout` passes or the
  // board is closed. Returns false once closed.
  bool wait(std::uint64_t seen, std::chrono::milliseconds timeout);
  // Wakes every waiter for good: the daemon is stopping.
  void close();

 private:
  mutable std::mutex m_mutex;
  std::condition_variable m_changed;
  std::uint64_t m_version = 0;
  bool m_closed = false;
};

}  // namespace pushgate::daemon
