#include "core/util/watchdog.hpp"

namespace pushgate {

Watchdog::Watchdog(std::chrono::milliseconds limit, std::function<void()> on_expiry)
    : m_thread([this, limit, on_expiry = std::move(on_expiry)] {
        std::unique_lock lock(m_mutex);
        if (!m_cancel.wait_for(lock, limit, [this] { return m_cancelled; })) on_expiry();
      }) {}

Watchdog::~Watchdog() {
  {
    std::lock_guard lock(m_mutex);
    m_cancelled = true;
  }
  m_cancel.notify_one();
  m_thread.join();
}

}  // namespace pushgate
