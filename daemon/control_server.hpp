#pragma once
// pushgated's control socket: a Unix stream socket, mode 0660 in a folder
// that only the daemon's user may write (made 0750), so only the daemon's
// user and group can talk to it, and nobody can put another socket in its
// place. Each client is served on its own thread; the protocol is
// core/jobs/control_protocol.hpp. A client that sends no request within a few
// seconds is dropped, and one account may hold only so many connections.

#include <sys/types.h>

#include <atomic>
#include <filesystem>
#include <list>
#include <memory>
#include <mutex>
#include <thread>

#include "core/config/daemon_config.hpp"
#include "core/jobs/spool.hpp"
#include "core/util/unique_fd.hpp"
#include "daemon/connection.hpp"
#include "daemon/log_board.hpp"

namespace pushgate::daemon {

class ControlServer {
 public:
  // Listens on `socket`, replacing a stale socket file that no daemon
  // answers on. Throws Failure: ErrorCode::usage when another daemon answers
  // there, ErrorCode::io when the socket cannot be made.
  // `config` gives the socket, the repositories it answers about and
  // connections_per_user. Throws Failure (ErrorCode::config) too when the
  // socket's folder exists and others may write it.
  ControlServer(const DaemonConfig& config, Spool& spool, LogBoard& board);
  // Stops listening, waits for the clients' threads (close the board first,
  // so followers stop) and removes the socket file.
  ~ControlServer();
  ControlServer(const ControlServer&) = delete;
  ControlServer& operator=(const ControlServer&) = delete;

  // Readable when clients are waiting to be accepted.
  int fd() const { return m_listener.get(); }
  // Accepts the waiting clients and starts serving each.
  void accept_pending();
  // repositories: and connections_per_user as SIGHUP reloaded them.
  void set_config(const DaemonConfig& config);

 private:
  struct Client {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> done;
    uid_t uid;
  };
  void serve(Connection& client);
  // An error reply when pushgated does not serve `repo`; "" when it does.
  std::string unserved(const std::string& repo) const;
  void reap();

  std::filesystem::path m_socket;
  Spool& m_spool;
  LogBoard& m_board;
  mutable std::mutex m_config_mutex;
  DaemonConfig m_config;
  UniqueFd m_listener;
  std::list<Client> m_clients;
};

}  // namespace pushgate::daemon
