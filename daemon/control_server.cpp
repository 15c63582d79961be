#include "daemon/control_server.hpp"

#include <fmt/format.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "core/jobs/control_client.hpp"
#include "core/jobs/control_protocol.hpp"
#include "core/records/deploy_status.hpp"
#include "core/git/git.hpp"
#include "core/jobs/job.hpp"
#include "core/jobs/manual_job.hpp"
#include "core/config/repo_config.hpp"
#include "core/util/trusted_file.hpp"
#include "daemon/event_log.hpp"
#include "daemon/log_follower.hpp"

namespace pushgate::daemon {

namespace {

constexpr std::size_t k_max_clients = 64;
// How long a client may take to send its request: a connection that says
// nothing holds a thread and a slot.
constexpr std::chrono::seconds k_request_timeout{3};

Failure io_failure(std::string_view what, const std::filesystem::path& path) {
  return Failure(ErrorCode::io, fmt::format("cannot {} '{}': {}", what, path.string(), std::strerror(errno)));
}

// The socket file left by a daemon that died is removed; one that a running
// daemon answers on is not taken over.
void clear_stale_socket(const std::filesystem::path& socket) {
  struct stat st;
  if (::lstat(socket.c_str(), &st) != 0) return;
  if (!S_ISSOCK(st.st_mode))
    throw Failure(ErrorCode::usage, fmt::format("'{}' exists and is not a socket; move it away", socket.string()));
  if (ping_daemon(socket, std::chrono::milliseconds(500)))
    throw Failure(ErrorCode::usage, fmt::format("another pushgated answers on '{}'", socket.string()));
  if (::unlink(socket.c_str()) != 0) throw io_failure("remove the stale socket", socket);
}

UniqueFd listen_on(const std::filesystem::path& socket) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (socket.native().size() >= sizeof addr.sun_path)
    throw Failure(ErrorCode::config, fmt::format("the socket path '{}' is longer than {} bytes",
                                                 socket.string(), sizeof addr.sun_path - 1));
  std::memcpy(addr.sun_path, socket.c_str(), socket.native().size() + 1);
  std::filesystem::path dir = socket.parent_path();
  std::error_code ec;
  if (!std::filesystem::exists(dir, ec)) {
    std::filesystem::create_directories(dir, ec);
    if (ec) throw Failure(ErrorCode::io, fmt::format("cannot create '{}': {}", dir.string(), ec.message()));
    ::chmod(dir.c_str(), 0750);
  }
  // Whoever may write the folder may replace the socket with one of theirs,
  // and hooks would hand pushes to it.
  struct stat st;
  if (::stat(dir.c_str(), &st) == 0 && (st.st_mode & (S_IWGRP | S_IWOTH)))
    throw Failure(ErrorCode::config,
                  fmt::format("refusing to listen in '{}': its mode {:04o} lets other accounts replace the socket. "
                              "Fix: chmod go-w '{}' (the group needs only r-x to reach the socket)",
                              dir.string(), st.st_mode & 07777, dir.string()));
  clear_stale_socket(socket);
  UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (!fd) throw io_failure("create a socket for", socket);
  // bind() creates the file with the umask applied: make it 0660 from the
  // start, so there is no moment when others could connect.
  mode_t old = ::umask(0117);
  int bound = ::bind(fd.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr);
  ::umask(old);
  if (bound != 0) throw io_failure("listen on", socket);
  if (::listen(fd.get(), 128) != 0) throw io_failure("listen on", socket);
  return fd;
}

std::string status_reply(const Spool& spool, const ControlRequest& request) {
  auto repo = git::open(request.repo);
  if (!repo) return reply_error(repo.error().message);
  auto config = load_repo_config(git::git_dir(repo->get()));
  if (!config) return reply_error(config.error().message);
  auto status = read_repo_status(repo->get(), *config, &spool, request.env);
  if (!status) return reply_error(status.error().message);
  status->daemon_version = std::string(k_pushgate_version);
  return reply_status(status_to_json(*status));
}

// Who asks is who the kernel says is at the other end, never a field.
std::string enqueue_reply(Spool& spool, const ControlRequest& request, const std::string& peer) {
  JobKind kind = request.op == ControlOp::deploy ? JobKind::deploy : JobKind::rollback;
  auto job = make_manual_job(kind, request.repo, request.env,
                             kind == JobKind::deploy ? request.commit : request.to, peer);
  if (!job) return reply_error(job.error().message);
  auto queued = spool.enqueue(std::move(*job));
  if (!queued) return reply_error(queued.error().message);
  log_event("job {}: queued {} in {} for {}", queued->id, describe_job(*queued), queued->repo, queued->pusher);
  return reply_job(queued->id);
}

}  // namespace

ControlServer::ControlServer(const DaemonConfig& config, Spool& spool, LogBoard& board)
    : m_socket(config.socket), m_spool(spool), m_board(board), m_config(config), m_listener(listen_on(m_socket)) {}

void ControlServer::set_config(const DaemonConfig& config) {
  std::lock_guard lock(m_config_mutex);
  m_config = config;
}

std::string ControlServer::unserved(const std::string& repo) const {
  std::lock_guard lock(m_config_mutex);
  if (serves_repository(m_config, repo_identity(repo))) return "";
  return reply_error(fmt::format("pushgated does not serve {}: add it to repositories: in {}", repo_identity(repo),
                                 m_config.source.empty() ? k_default_daemon_config : m_config.source.string()));
}

ControlServer::~ControlServer() {
  m_listener.reset();
  for (auto& c : m_clients) c.thread.join();
  ::unlink(m_socket.c_str());
}

void ControlServer::reap() {
  for (auto it = m_clients.begin(); it != m_clients.end();) {
    if (it->done->load()) {
      it->thread.join();
      it = m_clients.erase(it);
    } else {
      ++it;
    }
  }
}

void ControlServer::accept_pending() {
  reap();
  for (;;) {
    UniqueFd fd(::accept4(m_listener.get(), nullptr, nullptr, SOCK_CLOEXEC));
    if (!fd) return;  // EAGAIN: nobody else is waiting
    auto conn = std::make_shared<Connection>(std::move(fd));
    uid_t uid = conn->peer_uid();
    auto held = static_cast<std::size_t>(
        std::count_if(m_clients.begin(), m_clients.end(), [&](const Client& c) { return c.uid == uid; }));
    unsigned per_user = 0;
    {
      std::lock_guard lock(m_config_mutex);
      per_user = m_config.connections_per_user;
    }
    if (held >= per_user) {
      log_event("control socket: refusing a connection of {}: it holds {} already (connections_per_user)",
                account_name(uid), held);
      conn->send(reply_error(fmt::format("pushgated: {} holds {} connections already (connections_per_user in "
                                         "pushgated.yaml); close some and try again",
                                         account_name(uid), held)));
      continue;
    }
    if (m_clients.size() >= k_max_clients) {
      conn->send(reply_error("pushgated is serving too many clients; try again"));
      continue;
    }
    auto done = std::make_shared<std::atomic<bool>>(false);
    std::thread thread([this, done, conn] {
      serve(*conn);
      done->store(true);
    });
    m_clients.push_back({std::move(thread), std::move(done), uid});
  }
}

void ControlServer::serve(Connection& client) {
  try {
    auto line = client.read_line(k_request_timeout);
    if (!line) return;
    auto request = parse_control_request(*line);
    if (!request) {
      client.send(reply_error(request.error().message));
      return;
    }
    // Nothing is read from a repository pushgated does not serve.
    if (request->op == ControlOp::status || request->op == ControlOp::deploy || request->op == ControlOp::rollback)
      if (std::string refused = unserved(request->repo); !refused.empty()) {
        client.send(refused);
        return;
      }
    switch (request->op) {
      case ControlOp::ping: client.send(reply_pong(m_spool)); break;
      case ControlOp::status: client.send(status_reply(m_spool, *request)); break;
      case ControlOp::deploy:
      case ControlOp::rollback: client.send(enqueue_reply(m_spool, *request, client.peer_user())); break;
      case ControlOp::follow: follow_job(m_spool, m_board, request->spool_id, request->job, client); break;
    }
  } catch (const std::exception& e) {
    log_event("control socket: error: {}", e.what());
    client.send(reply_error(e.what()));
  }
}

}  // namespace pushgate::daemon
