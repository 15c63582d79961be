#pragma once
// Runs what the scheduler hands out, on a worker thread: supersedes the
// older jobs, deploys, rolls back or recovers the job, writes its notes and
// finishes every job of the dispatch in the spool.

#include <git2.h>

#include <atomic>
#include <chrono>
#include <filesystem>

#include "core/spool.hpp"
#include "daemon/deploy_steps.hpp"
#include "daemon/log_board.hpp"
#include "daemon/scheduler.hpp"

namespace pushgate::daemon {

class JobRunner {
 public:
  // All references must outlive the runner. `state_dir` is where command
  // deployers keep their releases. `stopping` turns true on SIGTERM.
  JobRunner(Spool& spool, std::filesystem::path state_dir, LogBoard& board,
            const std::atomic<bool>& stopping);

  // Runs `dispatch` to its end; safe to call from several threads for
  // different environments. Never throws: failures end up in the job's
  // record, its log and pushgated's own log.
  void run(const Dispatch& dispatch);

 private:
  void supersede(git_repository* repo, const Job& old, const Job& newest);
  JobResult execute(git_repository* repo, const Dispatch& dispatch, JobLog& log);
  // Appends the final record, retrying a few times; false when it could not.
  bool record_with_retries(git_repository* repo, const Job& job, const std::string& commit,
                           const DeployRecord& record);
  void conclude(git_repository* repo, const Job& job, const JobResult& result, JobLog& log,
                std::chrono::steady_clock::time_point started);
  // Takes a job whose final record is already in the notes out of the spool.
  bool finish_if_recorded(git_repository* repo, const Job& job);
  void finish(const Job& job, const std::string& status, const std::string& release,
              const std::string& message);

  Spool& m_spool;
  std::filesystem::path m_state_dir;
  LogBoard& m_board;
  const std::atomic<bool>& m_stopping;
};

}  // namespace pushgate::daemon
