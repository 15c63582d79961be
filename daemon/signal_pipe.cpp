#include "daemon/signal_pipe.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <string>

#include "core/util/error.hpp"

namespace pushgate::daemon {

namespace {

constexpr int k_signals[] = {SIGTERM, SIGINT, SIGHUP};

// The handler may only touch what is async-signal-safe: this descriptor and write().
std::atomic<int> g_write_fd{-1};

void on_signal(int signal) {
  int saved = errno;
  unsigned char byte = static_cast<unsigned char>(signal);
  int fd = g_write_fd.load();
  // A full pipe already holds enough wake-ups; dropping this one is fine.
  if (fd >= 0) {
    [[maybe_unused]] ssize_t n = ::write(fd, &byte, 1);
  }
  errno = saved;
}

}  // namespace

SignalPipe::SignalPipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC | O_NONBLOCK) < 0)
    throw Failure(ErrorCode::io, std::string("cannot create the signal pipe: ") + std::strerror(errno));
  m_read = UniqueFd(fds[0]);
  m_write = UniqueFd(fds[1]);
  g_write_fd = m_write.get();
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  // Workers blocked in read() or waitpid() carry on instead of seeing EINTR.
  action.sa_flags = SA_RESTART;
  for (int s : k_signals) ::sigaction(s, &action, nullptr);
  ::signal(SIGPIPE, SIG_IGN);
}

SignalPipe::~SignalPipe() {
  for (int s : k_signals) ::signal(s, SIG_DFL);
  g_write_fd = -1;
}

std::vector<int> SignalPipe::drain() {
  std::vector<int> signals;
  unsigned char buf[64];
  for (;;) {
    ssize_t n = ::read(m_read.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    signals.insert(signals.end(), buf, buf + n);
  }
  return signals;
}

}  // namespace pushgate::daemon
