#pragma once
// Calls a function on another thread if it is not cancelled in time: the
// hook's hard bound on its own running time.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace pushgate {

class Watchdog {
 public:
  // Starts counting now; `on_expiry` runs on the watchdog's thread after
  // `limit` unless the Watchdog is destroyed first. `on_expiry` is expected
  // to end the process (it must not touch state the main thread uses).
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
