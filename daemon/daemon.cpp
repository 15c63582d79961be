#include "daemon/daemon.hpp"

#include <poll.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <filesystem>

#include "core/jobs/control_protocol.hpp"
#include "core/config/daemon_config.hpp"
#include "core/jobs/job.hpp"
#include "core/jobs/spool.hpp"
#include "core/util/trusted_file.hpp"
#include "daemon/control_server.hpp"
#include "daemon/event_log.hpp"
#include "daemon/instance_lock.hpp"
#include "daemon/job_runner.hpp"
#include "daemon/log_board.hpp"
#include "daemon/scheduler.hpp"
#include "daemon/signal_pipe.hpp"
#include "daemon/spool_watch.hpp"
#include "daemon/worker_pool.hpp"

namespace pushgate::daemon {

namespace {

// Everything a running daemon holds; members are built in the order start-up
// needs them and torn down in reverse.
class Daemon {
 public:
  Daemon(std::string config_file, DaemonConfig config, InstanceLock lock)
      : m_config_file(std::move(config_file)),
        m_config(std::move(config)),
        m_lock(std::move(lock)),
        m_spool(m_config.spool),
        m_watch(m_spool.new_dir()),
        m_server(m_config, m_spool, m_board),
        m_scheduler(m_config.workers),
        m_runner(m_spool, m_config, m_board, m_stopping),
        m_pool([this](const Dispatch& d) { m_runner.run(d); }) {}

  ~Daemon() { m_board.close(); }

  void run() {
    recover();
    intake();
    log_event("pushgated {} serving {} with {} worker(s); spool {} (id {}); {} repository pattern(s)",
              k_pushgate_version, m_config.socket.string(), m_config.workers, m_config.spool.string(), m_spool.id(),
              m_config.repositories.size());
    if (m_config.repositories.empty())
      log_event("warning: pushgated.yaml names no repositories:, so no job will be deployed; add e.g. "
                "repositories: [/srv/git/*.git] and send SIGHUP");
    for (;;) {
      if (!m_stopping) dispatch();
      if (m_stopping && m_scheduler.running() == 0) break;
      wait_for_events();
    }
    log_event("stopped");
  }

 private:
  void recover() {
    for (Job job : m_spool.active()) {
      if (m_runner.resume_pending(job)) continue;
      job.repo = repo_identity(job.repo);
      log_event("job {}: was cut off while running ({}); recovering it", job.id, describe_job(job));
      m_scheduler.add_recovered(job);
    }
  }

  // Queues what waits in SPOOL/new that the scheduler does not know yet.
  void intake() {
    for (Job job : m_spool.waiting()) {
      if (m_scheduler.knows(job.id)) continue;
      // One queue per environment: "/srv/git/a.git/." must not get a queue
      // of its own beside "/srv/git/a.git" and deploy in parallel with it.
      job.repo = repo_identity(job.repo);
      log_event("job {}: queued {} in {} by {}", job.id, describe_job(job), job.repo, account_name(job.owner));
      m_scheduler.add_waiting(job);
    }
  }

  void dispatch() {
    while (auto d = m_scheduler.next()) {
      if (!d->recovered) {
        if (auto claimed = m_spool.claim(d->job.id); !claimed) {
          log_event("job {}: cannot claim it: {}", d->job.id, claimed.error().message);
          m_scheduler.finished(d->job);
          continue;
        }
      }
      m_pool.start(std::move(*d));
    }
  }

  void wait_for_events() {
    pollfd fds[] = {{m_signals.fd(), POLLIN, 0},
                    {m_watch.fd(), POLLIN, 0},
                    {m_server.fd(), POLLIN, 0},
                    {m_pool.fd(), POLLIN, 0}};
    // No timeout: every event that matters wakes poll().
    if (::poll(fds, std::size(fds), -1) < 0) {
      if (errno == EINTR) return;
      throw Failure(ErrorCode::io, std::string("poll failed: ") + std::strerror(errno));
    }
    if (fds[0].revents) on_signals();
    if (fds[1].revents) {
      m_watch.drain();
      intake();
    }
    if (fds[2].revents) m_server.accept_pending();
    if (fds[3].revents)
      for (const Job& job : m_pool.collect()) m_scheduler.finished(job);
  }

  void on_signals() {
    for (int s : m_signals.drain()) {
      if (s == SIGHUP) {
        reload();
      } else if (!m_stopping) {
        m_stopping = true;
        log_event("{}: taking no new jobs; waiting for {} running deploy(s)", s == SIGTERM ? "SIGTERM" : "SIGINT",
                  m_scheduler.running());
      }
    }
  }

  void reload() {
    auto fresh = find_daemon_config(m_config_file, ConfigTrust::for_daemon());
    if (!fresh) {
      log_event("SIGHUP: keeping the current settings: {}", fresh.error().message);
      return;
    }
    // The hooks ask the running daemon which spool it serves; half a change
    // would have them and the daemon disagree, so none is made.
    if (fresh->spool != m_config.spool || fresh->state != m_config.state || fresh->socket != m_config.socket) {
      log_event("SIGHUP: refusing the new settings: spool, state or socket changed (spool {} -> {}, state {} -> {}, "
                "socket {} -> {}); restart pushgated to use them. Jobs keep going to {}",
                m_config.spool.string(), fresh->spool.string(), m_config.state.string(), fresh->state.string(),
                m_config.socket.string(), fresh->socket.string(), m_config.spool.string());
      return;
    }
    m_scheduler.set_workers(fresh->workers);
    m_config = std::move(*fresh);
    m_runner.set_config(m_config);
    m_server.set_config(m_config);
    log_event("SIGHUP: reloaded {}; {} worker(s), {} repository pattern(s)",
              m_config.source.empty() ? std::string("the built-in defaults") : m_config.source.string(),
              m_config.workers, m_config.repositories.size());
  }

  std::string m_config_file;
  DaemonConfig m_config;
  InstanceLock m_lock;
  std::atomic<bool> m_stopping{false};
  LogBoard m_board;
  SignalPipe m_signals;
  Spool m_spool;
  SpoolWatch m_watch;
  ControlServer m_server;
  Scheduler m_scheduler;
  JobRunner m_runner;
  WorkerPool m_pool;
};

}  // namespace

DaemonExit run_daemon(const std::string& config_file) {
  auto config = find_daemon_config(config_file, ConfigTrust::for_daemon());
  if (!config) {
    log_event("error: {}", config.error().message);
    return DaemonExit::cannot_start;
  }
  try {
    std::filesystem::create_directories(config->state);
    auto lock = InstanceLock::acquire(config->state / "pushgated.lock");
    if (!lock) {
      log_event("error: {}", lock.error().message);
      return lock.error().code == ErrorCode::usage ? DaemonExit::cannot_start : DaemonExit::failure;
    }
    Daemon daemon(config_file, std::move(*config), std::move(*lock));
    daemon.run();
    return DaemonExit::stopped;
  } catch (const Failure& e) {
    log_event("error: {}", e.what());
    bool config_problem = e.code() == ErrorCode::usage || e.code() == ErrorCode::config;
    return config_problem ? DaemonExit::cannot_start : DaemonExit::failure;
  } catch (const std::exception& e) {
    log_event("error: {}", e.what());
    return DaemonExit::failure;
  }
}

}  // namespace pushgate::daemon
