#pragma once
// What pushgated believes of a job file: "look at this repository and this
// environment", nothing more. Any account that can write the spool can write
// one, so the repository must be one pushgated.yaml names and whose
// administrator's files are trusted, the environment must be in its
// pushgate.yaml, the commit is re-derived from the server's refs and the
// pusher from who owns the file.

#include <git2.h>

#include <optional>
#include <string>

#include "core/config/daemon_config.hpp"
#include "core/util/error.hpp"
#include "core/git/git.hpp"
#include "core/jobs/job.hpp"
#include "core/config/repo_config.hpp"

namespace pushgate::daemon {

struct AdmittedJob {
  Job job;                  // canonical repo, derived pusher, the commit to deploy
  git::RepositoryPtr repo;
  uid_t repo_owner = 0;
  RepoConfig config;
  const Environment* env = nullptr;  // in `config`
  // Push jobs: the commit the job file named, when it is not the branch
  // tip (the job is then superseded); "" when they agree.
  std::string named_commit;
  bool named_on_branch = false;  // named_commit is in the branch's history
};

// Checks `job` against `daemon`'s repositories and the repository's own
// state. Errors name the repository and what to do (ErrorCode::config for
// an unlisted or untrusted repository, usage for an unknown environment, an
// undeployable commit or a pusher the environment's allowed_pushers does
// not name).
Expected<AdmittedJob> admit_job(const Job& job, const DaemonConfig& daemon);

// Who asked for `job`, by what the kernel says: the job file's owner, unless
// that is root, the repository's owner `repo_owner` or pushgated itself, whose
// hooks (or whose control socket, which asked SO_PEERCRED) name the pusher.
std::string derived_pusher(const Job& job, uid_t repo_owner);

// Why an admitted push job must not be deployed: the branch is no longer at
// the commit the job names, or (`recovered` after a restart) its commit is
// older than `live_commit`, what the target runs. nullopt when it may be.
std::optional<std::string> stale_push(const AdmittedJob& admitted, const std::string& live_commit, bool recovered);

}  // namespace pushgate::daemon
