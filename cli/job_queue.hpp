#pragma once
// What `pushgate deploy` and `pushgate rollback` share: queue a manual job in
// the daemon's spool, say so, and optionally follow it to its end.

#include <string>

#include "cli/command.hpp"
#include "core/config/daemon_config.hpp"
#include "core/jobs/job.hpp"

namespace pushgate::cli {

struct QueueArgs {
  std::string repo;
  std::string env;
  std::string rev;            // deploy: REV; rollback: --to REV ("" = previous good)
  std::string daemon_config;  // --daemon-config FILE ("" = the usual lookup)
  bool wait = false;
};

// Checks and queues a `kind` job as `args` describe, prints "queued ..." and,
// with --wait, the job's log and outcome. Returns ok when queued (or, with
// --wait, when it succeeded), findings when it ended otherwise, failure when
// the daemon cannot be followed. Throws Failure for usage and config errors.
ExitCode queue_job(JobKind kind, const QueueArgs& args);

// Streams job `job` (of `kind`) of the spool with id `spool_id` from the
// daemon of `daemon` to standard output until it ends: ok when it did what
// its kind asks (succeeded; rolled-back for a rollback), findings when it did
// not, failure when the daemon is not running, stopped answering or the
// stream broke.
ExitCode follow_job_output(const DaemonConfig& daemon, const std::string& spool_id, std::uint64_t job,
                           JobKind kind);

}  // namespace pushgate::cli
