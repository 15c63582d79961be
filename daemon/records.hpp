#pragma once
// The notes a job leaves on its commit: one line on refs/notes/deploy/<env>
// per attempt, and the attempt's log on refs/notes/deploy-log/<env>.

#include <git2.h>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/records/deploy_record.hpp"
#include "core/records/deploy_status.hpp"
#include "core/util/error.hpp"
#include "core/jobs/job.hpp"

namespace pushgate::daemon {

using RecordFields = std::vector<std::pair<std::string, std::string>>;

// A record of `job` stamped now: env=, status=, then job= (not for drift
// checks), kind= (for other than push jobs), pusher=, then `fields` in order;
// empty values are left out.
DeployRecord make_record(const Job& job, DeployStatus status, const RecordFields& fields);

// Appends `record` to the deploy note on `commit` (full hex).
Expected<bool> append_record(git_repository* repo, const std::string& commit, const DeployRecord& record);

// Appends `log`, under a header line naming the job and its outcome, to the
// deploy-log note on `commit`.
Expected<bool> append_log(git_repository* repo, const std::string& commit, const DeployRecord& record,
                          std::string_view log);

// A final record (succeeded, failed, superseded, rolled-back) of `job`
// already in the notes: written by a daemon that died before it could mark
// the job finished in the spool. Looks at the job's commit; rollback jobs,
// whose record may sit on another commit, search the environment's history.
Expected<std::optional<CommitRecord>> find_final_record(git_repository* repo, const Job& job);

// How many `status` records of `job` the note on the job's commit holds.
std::size_t count_records(git_repository* repo, const Job& job, DeployStatus status);

// The first 12 hex digits, as records and release ids name commits.
std::string short_commit(std::string_view commit);

}  // namespace pushgate::daemon
