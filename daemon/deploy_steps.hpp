#pragma once
// The work of one job once its environment and deployer are known: deploy a
// commit (with retries), roll back, or pick up a deploy a crash cut off.
// Each step writes what it does to the job's log and returns what the
// records should say; the caller writes them.

#include <git2.h>

#include <atomic>
#include <cstddef>
#include <string>

#include "core/records/deploy_record.hpp"
#include "core/jobs/job.hpp"
#include "core/config/repo_config.hpp"
#include "daemon/job_log.hpp"
#include "daemon/records.hpp"
#include "deployers/deployer.hpp"

namespace pushgate::daemon {

struct JobContext {
  git_repository* repo = nullptr;
  const Job* job = nullptr;
  const Environment* env = nullptr;
  Deployer* deployer = nullptr;
  JobLog* log = nullptr;
  const std::atomic<bool>* stopping = nullptr;  // true: make no further attempts
};

// How a job ended, and the notes to write about it.
struct JobResult {
  DeployStatus status = DeployStatus::failed;
  std::string record_on;  // full hex of the commit the records go on; "" for none
  std::string release;
  std::string message;    // one line for people, secrets already replaced
  RecordFields fields;    // target, release, previous, live, ... (message is added by the caller)
};

// Deploys the job's commit, up to retry.attempts times. `rerun` counts the
// runs a crash cut off before this one (0 normally).
JobResult deploy_commit(const JobContext& ctx, std::size_t rerun);

// A rollback job: makes the job's commit live again or, when the job names
// none, the newest successful release older than the live one (see
// release_before_live); fails saying so when there is none.
JobResult rollback_job(const JobContext& ctx);

// A job found in SPOOL/active at start-up: records `interrupted`, then runs it
// again or rolls back to the last good release, as retry.on_interrupt says.
// The releases the cut-off run made are discarded unless live, since nothing
// verified them.
JobResult recover_interrupted(const JobContext& ctx);

}  // namespace pushgate::daemon
