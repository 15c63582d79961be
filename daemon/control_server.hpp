#pragma once
// pushgated's control socket: a Unix stream socket, mode 0660 in a folder
// that only the daemon's user may write (made 0750), so only the daemon's
// user and group can talk to it, and nobody can put another socket in its
// place. Each client is served on its own thread; the protocol is
// core/control_protocol.hpp. A client that sends no request within a few
// seconds is dropped, and one account may hold only so many connections.

#include <sys/types.h>

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
  // Throws Failure (ErrorCode::config) too when the socket's folder exists
  // and others may write it.
  ControlServer(std::filesystem::path socket, Spool& spool, LogBoard& board, unsigned connections_per_user);
  // Stops listening, waits for the clients' threads (close the board first,
  // so followers stop) and removes the socket file.
  ~ControlServer();
  ControlServer(const ControlServer&) = delete;
  ControlServer& operator=(const ControlServer&) = delete;

  // Readable when clients are waiting to be accepted.
  int fd() const { return m_listener.get(); }
  // Accepts the waiting clients and starts serving each.
  void accept_pending();
  // connections_per_user: as SIGHUP reloaded it.
  void set_connections_per_user(unsigned limit) { m_per_user = limit; }

 private:
  struct Client {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> done;
    uid_t uid;
  };
  void serve(Connection& client);
  void reap();

  std::filesystem::path m_socket;
  Spool& m_spool;
  LogBoard& m_board;
  std::atomic<unsigned> m_per_user;
  UniqueFd m_listener;
  std::list<Client> m_clients;
};

}  // namespace pushgate::daemon
