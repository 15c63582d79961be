#include "daemon/daemon.hpp"

#include <poll.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <filesystem>

#include "core/jobs/control_protocol.hpp"
#include "core/config/daemon_config.hpp"
#include "core/jobs/job.hpp"
#include "core/jobs/spool.hpp"
#include "core/util/trusted_file.hpp"
#include "core/util/unique_fd.hpp"
#include "daemon/control_server.hpp"
#include "daemon/drift_check.hpp"
#include "daemon/drift_plan.hpp"
#include "daemon/drift_targets.hpp"
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

// Drift checks are no spool jobs; their numbers come from above any a spool hands out.
constexpr std::uint64_t k_first_drift_job = std::uint64_t{1} << 63;

UniqueFd make_timer() {
  UniqueFd fd(::timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK));
  if (!fd) throw Failure(ErrorCode::io, std::string("cannot create a timerfd: ") + std::strerror(errno));
  return fd;
}

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
        m_drift(m_config, m_board),
        m_drift_timer(make_timer()),
        m_pool([this](const Dispatch& d) {
          if (d.job.kind == JobKind::drift)
            m_drift.run(d.job);
          else
            m_runner.run(d);
        }) {}

  ~Daemon() { m_board.close(); }

  void run() {
    recover();
    intake();
    plan_drift_checks();
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

  // Rescans which environments have drift: configured and arms the timer
  // for the next check; none configured, none armed.
  void plan_drift_checks() {
    m_drift_plan.set_targets(find_drift_targets(m_config), std::chrono::steady_clock::now());
    arm_drift_timer();
  }

  void arm_drift_timer() {
    itimerspec spec{};
    if (auto due = m_drift_plan.next_due(); due && !m_stopping) {
      auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(due->time_since_epoch()).count();
      // A time already past would disarm it; 1 ns fires at once.
      spec.it_value.tv_sec = ns / 1'000'000'000;
      spec.it_value.tv_nsec = ns % 1'000'000'000;
      if (ns <= 0) spec.it_value.tv_nsec = 1;
    }
    ::timerfd_settime(m_drift_timer.get(), TFD_TIMER_ABSTIME, &spec, nullptr);
  }

  // Queues a drift check for every environment due; they take their
  // environment's turn like any job.
  void queue_drift_checks() {
    std::uint64_t expirations = 0;
    [[maybe_unused]] ssize_t n = ::read(m_drift_timer.get(), &expirations, sizeof expirations);
    m_drift_plan.set_targets(find_drift_targets(m_config), std::chrono::steady_clock::now());
    for (const DriftTarget& target : m_drift_plan.take_due(std::chrono::steady_clock::now())) {
      Job job;
      job.id = m_next_drift_job++;
      job.kind = JobKind::drift;
      job.repo = target.repo;
      job.env = target.env;
      job.pusher = "pushgated";
      job.owner = ::geteuid();
      m_scheduler.add_waiting(job);
    }
    arm_drift_timer();
  }

  void dispatch() {
    while (auto d = m_scheduler.next()) {
      if (!d->recovered && d->job.kind != JobKind::drift) {
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
                    {m_pool.fd(), POLLIN, 0},
                    {m_drift_timer.get(), POLLIN, 0}};
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
    if (fds[3].revents) finish_work();
    if (fds[4].revents && !m_stopping) queue_drift_checks();
  }

  void finish_work() {
    bool deployed = false;
    for (const Job& job : m_pool.collect()) {
      m_scheduler.finished(job);
      if (job.kind == JobKind::drift)
        m_drift_plan.done(job.repo, job.env, std::chrono::steady_clock::now());
      else
        deployed = true;
    }
    // A deploy may have come with a changed pushgate.yaml.
    if (deployed) plan_drift_checks();
    else arm_drift_timer();
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
    m_drift.set_config(m_config);
    m_server.set_config(m_config);
    plan_drift_checks();
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
  DriftChecker m_drift;
  DriftPlan m_drift_plan;
  UniqueFd m_drift_timer;
  std::uint64_t m_next_drift_job = k_first_drift_job;
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
