#pragma once
// What the deploy notes and the spool say about a repository's environments:
// what is live where, since when, by whom, and what is in flight. Shared by
// `pushgate status`, `pushgate log` and pushgated's status request, so all
// three say the same.

#include <git2.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/records/deploy_record.hpp"
#include "core/util/error.hpp"
#include "core/jobs/job.hpp"
#include "core/config/repo_config.hpp"
#include "core/jobs/spool.hpp"

namespace pushgate {

// One record of refs/notes/deploy/<env> with the commit it is attached to.
struct CommitRecord {
  std::string commit;  // full hex id
  DeployRecord record;
};

// Every record of environment `env`, oldest first (by timestamp, then job
// number, then order in the note). Empty when the notes ref does not exist.
Expected<std::vector<CommitRecord>> read_deploy_history(git_repository* repo, std::string_view env);

// What is live according to the records: the commit of the newest
// `succeeded` or `healed` record, or what the newest `rolled-back` record
// says went live again (its live= field).
struct LiveDeploy {
  std::string commit;   // full hex where the history knows it, else as recorded
  std::string release;  // release id, "" when unknown
  std::string since;    // timestamp of the record that made it live
  std::string by;       // pusher of that record
  std::string job;      // job of that record
};
std::optional<LiveDeploy> live_from_history(const std::vector<CommitRecord>& history);

// Where a rollback that names no commit goes: the newest `succeeded` record
// of another commit that is older than the one that made the live release
// live (the record of release `live_release`, else the newest success of
// `live_commit`), so a second rollback goes further back instead of
// returning to the release the first one left. When the live commit has no
// success in the history at all, the newest success of another commit.
// nullopt when there is none.
std::optional<CommitRecord> release_before_live(const std::vector<CommitRecord>& history,
                                                std::string_view live_commit, std::string_view live_release);

// The newest record that has a log note (any status but superseded).
std::optional<CommitRecord> last_attempt(const std::vector<CommitRecord>& history);

struct EnvironmentStatus {
  std::string name;
  std::string branch;
  std::optional<LiveDeploy> live;
  std::optional<CommitRecord> last;  // the newest record of any status
  std::vector<Job> waiting;          // queued in the spool, oldest first
  std::vector<Job> active;           // claimed by the daemon, running
  std::vector<Job> record_pending;   // deployed; the daemon retries writing the notes
};

struct RepoStatus {
  std::string repo;  // repo_identity
  std::vector<EnvironmentStatus> environments;
  std::optional<std::string> daemon_version;  // set by whoever asked pushgated
};

// Status of `config`'s environments (only `env` when not empty: an unknown
// name is an ErrorCode::usage error listing the known ones). `spool` may be
// null when there is none to read.
Expected<RepoStatus> read_repo_status(git_repository* repo, const RepoConfig& config,
                                      const Spool* spool, std::string_view env);

// One JSON object; the daemon sends it and `pushgate status --json` prints it.
std::string status_to_json(const RepoStatus& status);

}  // namespace pushgate
