#include "daemon/log_board.hpp"

namespace pushgate::daemon {

std::uint64_t LogBoard::version() const {
  std::lock_guard lock(m_mutex);
  return m_version;
}

void LogBoard::announce() {
  {
    std::lock_guard lock(m_mutex);
    ++m_version;
  }
  m_changed.notify_all();
}

bool LogBoard::wait(std::uint64_t seen, std::chrono::milliseconds timeout) {
  std::unique_lock lock(m_mutex);
  m_changed.wait_for(lock, timeout, [&] { return m_closed || m_version != seen; });
  return !m_closed;
}

void LogBoard::close() {
  {
    std::lock_guard lock(m_mutex);
    m_closed = true;
  }
  m_changed.notify_all();
}

}  // namespace pushgate::daemon
