#pragma once
// The interface every kind of target implements: local folders and commands
// now, SSH hosts and Kubernetes next. A deployer is told which commit to make
// live; it makes a release, switches to it, checks its health and switches
// back on failure, writing what it does to the job's log.

#include <git2.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/records/deploy_record.hpp"
#include "core/util/error.hpp"
#include "core/jobs/job.hpp"
#include "core/util/process.hpp"
#include "core/config/repo_config.hpp"
#include "deployers/drift.hpp"

namespace pushgate {

// What a deployer needs for one attempt.
struct DeployRequest {
  const Job* job = nullptr;
  git_repository* repo = nullptr;     // the server repository (no checkout is made)
  const Environment* env = nullptr;   // its settings, deployer included
  std::string commit;                 // hex id to make live
  std::string previous_commit;        // live before this attempt; "" on a first deploy
  std::string release_id;             // unique, sortable name for the release
  LineSink log;                       // the job's log; secrets are already redacted
};

struct DeployOutcome {
  DeployStatus status = DeployStatus::failed;  // succeeded, failed or rolled_back
  std::string release;  // the release made (even when it failed)
  std::string target;   // where it went: a folder, a host, ...
  std::string message;  // one line for people: what failed and what is live now
  // Further key=value fields for the note (a fleet's hosts=10 ok=10 ...);
  // empty values are left out.
  std::vector<std::pair<std::string, std::string>> fields;
};

// What is live in an environment right now, as the target itself says.
struct LiveRelease {
  std::string release;
  std::string commit;
};

class Deployer {
 public:
  virtual ~Deployer() = default;
  // Makes `request.commit` live. Expected failures (a command failing, a
  // health check failing, a path escaping the release) are outcomes, not
  // exceptions; the previous release stays or becomes live again.
  // The new release holds exactly the commit's subtree even when the live
  // release drifted: nothing the target holds is reused unverified. This is
  // how drift is healed: deploy() of the live commit (request.commit ==
  // request.previous_commit), recorded `healed` when it succeeds.
  virtual DeployOutcome deploy(const DeployRequest& request) = 0;
  // Makes an earlier release live again: `to_commit`'s release, or the one
  // before the live one when empty. Instant where the release is still kept.
  virtual DeployOutcome rollback(const DeployRequest& request, const std::string& to_commit) = 0;
  // What is live now; nullopt before the first deploy.
  virtual std::optional<LiveRelease> live() const = 0;
  // Releases kept on the target, newest first.
  virtual std::vector<LiveRelease> releases() const = 0;
  // Removes kept release `release`, one that must never be rolled back to
  // (a deploy a crash cut off before it was verified). The live release is
  // never removed: that is an error, as is one that cannot be removed.
  virtual Expected<bool> discard(const std::string& release) = 0;
  // How the target differs from the live release: `request.commit` is the
  // live commit and `request.release_id` the release the notes say is live
  // ("" when they do not say: then the newest kept release of the commit).
  // request.job and request.previous_commit are not used; request.log gets
  // what the check does. Reads the target only, never changes it, and is
  // cheap when nothing changed (a metadata walk, content re-read only where
  // metadata differs). A place that cannot be checked (an unreachable host)
  // is listed in Drift::unchecked; an Error when nothing could be checked or
  // the target cannot check drift at all (ErrorCode::config; the default).
  virtual Expected<Drift> drift(const DeployRequest& request);
};

// The deployer `env` configures for repository `repo` (its git directory,
// Job::repo): a command deployer keeps its releases under `state_dir` (the
// daemon's state folder) in a folder of its own per repository and
// environment. `runner` must outlive the deployer. Throws Failure
// (ErrorCode::config) for settings it cannot work with.
std::unique_ptr<Deployer> make_deployer(const Environment& env, const std::string& repo,
                                        const std::string& state_dir, ProcessRunner& runner);

}  // namespace pushgate
