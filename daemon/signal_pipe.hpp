#pragma once
// SIGTERM, SIGINT and SIGHUP turned into bytes on a pipe, so the daemon's
// poll() loop handles them like any other event. SIGPIPE is ignored: a
// client hanging up is an error value on the socket, not a death.
//
// A pipe rather than a blocked-signal signalfd: the signal mask is inherited
// by the commands deployers run, which must see SIGTERM normally.

#include <vector>

#include "core/util/unique_fd.hpp"

namespace pushgate::daemon {

class SignalPipe {
 public:
  // Installs the handlers; only one SignalPipe may exist at a time. Throws
  // Failure when the pipe cannot be made.
  SignalPipe();
  // Restores the default handlers.
  ~SignalPipe();
  SignalPipe(const SignalPipe&) = delete;
  SignalPipe& operator=(const SignalPipe&) = delete;

  // Readable when a signal arrived.
  int fd() const { return m_read.get(); }
  // The signals received since the last call, in order.
  std::vector<int> drain();

 private:
  UniqueFd m_read;
  UniqueFd m_write;
};

}  // namespace pushgate::daemon
