#pragma once
// pushgated's control socket: a Unix stream socket, mode 0660 in a 0770
// folder, so only the daemon's user and group can talk to it. Each client is
// served on its own thread; the protocol is core/control_protocol.hpp.

#include <atomic>
#include <filesystem>
#include <list>
#include <memory>
#include <thread>

#include "core/spool.hpp"
#include "core/unique_fd.hpp"
#include "daemon/connection.hpp"
#include "daemon/log_board.hpp"

namespace pushgate::daemon {

class ControlServer {
 public:
  // Listens on `socket`, replacing a stale socket file that no daemon
  // answers on. Throws Failure: ErrorCode::usage when another daemon answers
  // there, ErrorCode::io when the socket cannot be made.
  ControlServer(std::filesystem::path socket, Spool& spool, LogBoard& board);
  // Stops listening, waits for the clients' threads (close the board first,
  // so followers stop) and removes the socket file.
  ~ControlServer();
  ControlServer(const ControlServer&) = delete;
  ControlServer& operator=(const ControlServer&) = delete;

  // Readable when clients are waiting to be accepted.
  int fd() const { return m_listener.get(); }
  // Accepts the waiting clients and starts serving each.
  void accept_pending();

 private:
  struct Client {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> done;
  };
  void serve(Connection& client);
  void reap();

  std::filesystem::path m_socket;
  Spool& m_spool;
  LogBoard& m_board;
  UniqueFd m_listener;
  std::list<Client> m_clients;
};

}  // namespace pushgate::daemon
