#pragma once
// One drift check of an environment, on a worker, holding the environment's
// slot in the scheduler like a deploy (so the two never overlap, and a push
// arriving meanwhile is queued at once and deployed after it): compares the
// target with the live release the notes name, records `drifted` once per
// episode (daemon/drift_episode.hpp) and, with `heal: true`, deploys the
// live commit again and records `healed` (or failed / rolled-back).

#include <atomic>
#include <mutex>

#include "core/config/daemon_config.hpp"
#include "core/jobs/job.hpp"
#include "daemon/drift_episode.hpp"
#include "daemon/log_board.hpp"

namespace pushgate::daemon {

class DriftChecker {
 public:
  // `board` must outlive the checker.
  DriftChecker(DaemonConfig config, LogBoard& board) : m_config(std::move(config)), m_board(board) {}

  // Checks the environment of drift job `job` (JobKind::drift, its repo and
  // env). Never throws: what goes wrong goes to pushgated's log.
  void run(const Job& job);
  // pushgated.yaml as SIGHUP reloaded it; safe while checks run.
  void set_config(const DaemonConfig& config);

 private:
  void check(const Job& job, const DaemonConfig& daemon);

  mutable std::mutex m_config_mutex;
  DaemonConfig m_config;
  LogBoard& m_board;
  DriftEpisodes m_episodes;
};

}  // namespace pushgate::daemon
