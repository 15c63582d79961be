#pragma once
// One accepted client of the control socket: line-based reads with a time
// limit, writes that report a departed client instead of raising SIGPIPE.

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/util/unique_fd.hpp"

namespace pushgate::daemon {

class Connection {
 public:
  // Takes over an accepted socket. Writes give up after `send_timeout`, so a
  // client that stops reading cannot hold a thread forever.
  explicit Connection(UniqueFd fd, std::chrono::milliseconds send_timeout = std::chrono::seconds(10));

  // The next line without its newline; nullopt when the client hung up, sent
  // nothing for `timeout`, or sent a line longer than the protocol allows.
  std::optional<std::string> read_line(std::chrono::milliseconds timeout);
  // Sends `line` and a newline; false when the client is gone.
  bool send(std::string_view line);
  // True when the client closed its end.
  bool peer_gone() const;
  // The uid of the process at the other end (SO_PEERCRED); (uid_t)-1 when
  // the kernel does not say.
  uid_t peer_uid() const;
  // The login name of the process at the other end (SO_PEERCRED), or "uid N".
  std::string peer_user() const;

 private:
  UniqueFd m_fd;
  std::string m_buffer;
};

}  // namespace pushgate::daemon
