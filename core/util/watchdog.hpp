#pragma once
// Calls a function on another thread if it is not cancelled in time: the
// hook's hard bound on its own running time, an http health check's bound
// on a server that answers a byte at a time.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace pushgate {

class Watchdog {
 public:
  // Starts counting now; `on_expiry` runs on the watchdog's thread after
  // `limit` unless the Watchdog is destroyed first. `on_expiry` runs while
  // the thread that made the Watchdog goes on: it must end the process or
  // touch only what is safe to use from two threads (an atomic flag, an
  // httplib client's stop()).
  Watchdog(std::chrono::milliseconds limit, std::function<void()> on_expiry);
  ~Watchdog();
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

 private:
  std::mutex m_mutex;
  std::condition_variable m_cancel;
  bool m_cancelled = false;
  std::thread m_thread;
};

}  // namespace pushgate
