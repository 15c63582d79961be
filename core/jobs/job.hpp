#pragma once
// A deploy job: what post-receive (or `pushgate deploy`/`rollback`) asks the
// daemon to do for one environment of one repository.

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "core/util/error.hpp"

namespace pushgate {

// `drift` is the daemon's own check of an environment (daemon/drift_check.hpp):
// it lives in memory only, and a job file naming it is refused.
enum class JobKind { push, deploy, rollback, drift };

struct Job {
  std::uint64_t id = 0;     // assigned by Spool::enqueue; shown to users as "job 17"
  JobKind kind = JobKind::push;
  std::string repo;         // absolute path of the repository's git directory
  std::string env;          // environment name from the repository's pushgate.yaml
  std::string ref;          // the pushed ref (push jobs), e.g. refs/heads/main
  std::string commit;       // hex id to deploy; for rollback the target, "" = previous good
  std::string pusher;       // who pushed or asked
  std::string enqueued_at;  // RFC 3339 UTC
  // Who wrote the job file, as the kernel says (its owner); filled by Spool
  // when it reads the job from a file, never stored in or read from JSON.
  // -1 for a job that was not read from a file.
  uid_t owner = static_cast<uid_t>(-1);
};

const char* to_string(JobKind kind);

// The 7-hex abbreviation of a commit id used in every message.
std::string abbreviate(std::string_view commit);

// What `job` asks for, in words for messages: "deploy of 1a2b3c4 to
// production" (push and deploy jobs), "rollback of production to 1a2b3c4",
// "rollback of production to the previous successful release".
std::string describe_job(const Job& job);

// One JSON object per job, as stored in the spool.
std::string job_to_json(const Job& job);
// Parses job_to_json's output; the error names `origin` (a file name).
Expected<Job> job_from_json(std::string_view text, const std::string& origin);

// The form Job::repo takes: the git directory's absolute, canonical path
// without a trailing slash, so the hook, the CLI and the daemon agree.
std::string repo_identity(const std::string& git_dir);

// The current time as RFC 3339 UTC with seconds: 2026-11-26T07:30:00Z.
std::string utc_now();

}  // namespace pushgate
