#include "daemon/connection.hpp"

#include <poll.h>
#include <sys/socket.h>

#include <cerrno>

#include "core/jobs/control_protocol.hpp"
#include "core/util/trusted_file.hpp"

namespace pushgate::daemon {

Connection::Connection(UniqueFd fd, std::chrono::milliseconds send_timeout) : m_fd(std::move(fd)) {
  timeval tv{};
  tv.tv_sec = send_timeout.count() / 1000;
  tv.tv_usec = (send_timeout.count() % 1000) * 1000;
  ::setsockopt(m_fd.get(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

std::optional<std::string> Connection::read_line(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (auto nl = m_buffer.find('\n'); nl != std::string::npos) {
      std::string line = m_buffer.substr(0, nl);
      m_buffer.erase(0, nl + 1);
      return line;
    }
    if (m_buffer.size() > k_max_control_line) return std::nullopt;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::nullopt;
    pollfd p{m_fd.get(), POLLIN, 0};
    int ready = ::poll(&p, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return std::nullopt;
    char chunk[8192];
    ssize_t n = ::recv(m_fd.get(), chunk, sizeof chunk, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return std::nullopt;
    m_buffer.append(chunk, static_cast<std::size_t>(n));
  }
}

bool Connection::send(std::string_view line) {
  std::string data(line);
  data += '\n';
  std::string_view rest = data;
  while (!rest.empty()) {
    ssize_t n = ::send(m_fd.get(), rest.data(), rest.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    rest.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

bool Connection::peer_gone() const {
  pollfd p{m_fd.get(), POLLRDHUP, 0};
  return ::poll(&p, 1, 0) > 0 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR)) != 0;
}

uid_t Connection::peer_uid() const {
  ucred cred{};
  socklen_t len = sizeof cred;
  if (::getsockopt(m_fd.get(), SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) return static_cast<uid_t>(-1);
  return cred.uid;
}

std::string Connection::peer_user() const {
  uid_t uid = peer_uid();
  return uid == static_cast<uid_t>(-1) ? std::string("unknown") : account_name(uid);
}

}  // namespace pushgate::daemon
