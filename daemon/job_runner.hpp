#pragma once
// Runs what the scheduler hands out, on a worker thread: checks the job
// against the server's own state (daemon/job_admission.hpp), supersedes the
// older jobs, deploys, rolls back or recovers the job, writes its notes
// (or keeps retrying them) and finishes every job of the dispatch in the spool.

#include <git2.h>

#include <atomic>
#include <chrono>
#include <mutex>

#include "core/config/daemon_config.hpp"
#include "core/jobs/spool.hpp"
#include "daemon/deploy_steps.hpp"
#include "daemon/job_admission.hpp"
#include "daemon/log_board.hpp"
#include "daemon/record_retrier.hpp"
#include "daemon/scheduler.hpp"

namespace pushgate::daemon {

class JobRunner {
 public:
  // All references must outlive the runner. `config` says which
  // repositories may be deployed and where command deployers keep their
  // releases (state). `stopping` turns true on SIGTERM.
  JobRunner(Spool& spool, DaemonConfig config, LogBoard& board, const std::atomic<bool>& stopping);

  // Runs `dispatch` to its end; safe to call from several threads for
  // different environments. Never throws: failures end up in the job's
  // record, its log and pushgated's own log.
  void run(const Dispatch& dispatch);

  // pushgated.yaml as SIGHUP reloaded it: repositories: takes effect for the
  // next job; safe to call while jobs run.
  void set_config(const DaemonConfig& config);

  // Takes up the notes of active job `job` that an earlier run deployed but
  // could not record (Spool::pending_record). False when it has none: the
  // job was cut off and is recovered as usual.
  bool resume_pending(const Job& job);

 private:
  DaemonConfig config() const;
  void refuse(const Dispatch& dispatch, const std::string& message);
  void supersede(const AdmittedJob& admitted, const Job& old);
  JobResult execute(AdmittedJob& admitted, const Dispatch& dispatch, JobLog& log);
  // Writes the deploy-log note (unless written already), then the record;
  // false when either failed.
  bool write_notes(git_repository* repo, PendingRecord& pending);
  // Keeps notes that cannot be written for the retrier, in the spool too.
  void park(PendingRecord pending, JobLog& log);
  bool retry_notes(PendingRecord& pending);
  void conclude(git_repository* repo, const Job& job, const JobResult& result, JobLog& log,
                std::chrono::steady_clock::time_point started);
  // Takes a job whose final record is already in the notes out of the spool.
  bool finish_if_recorded(git_repository* repo, const Job& job);
  void finish(const Job& job, const std::string& status, const std::string& release,
              const std::string& message);

  Spool& m_spool;
  mutable std::mutex m_config_mutex;
  DaemonConfig m_config;
  LogBoard& m_board;
  const std::atomic<bool>& m_stopping;
  RecordRetrier m_retrier;  // last: its thread stops before the rest goes
};

}  // namespace pushgate::daemon
