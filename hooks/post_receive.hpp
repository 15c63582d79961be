#pragma once
// The post-receive hand-over: after git accepted a push, queue one durable
// deploy job per environment that an updated branch maps to, tell the pusher,
// and return at once. The daemon (pushgated) does the deploying; this never
// starts a child process, so nothing can keep the push hanging.

#include <iosfwd>
#include <string>
#include <vector>

#include "core/ref_update.hpp"
#include "core/repo_config.hpp"

namespace pushgate {

// An environment that a push deploys, and the update that triggers it.
struct DeployTarget {
  const RefUpdate* update = nullptr;
  const Environment* env = nullptr;
};

// The environments `updates` deploy: every branch that is created or moved
// and that an environment maps (several environments may map one branch),
// in input order. Deletions and tags deploy nothing.
std::vector<DeployTarget> deploy_targets(const std::vector<RefUpdate>& updates, const RepoConfig& config);

// Reads `<old> <new> <ref>` lines from `input`, queues the deploys into the
// spool of the daemon named by $PUSHGATE_DAEMON_CONFIG (or the system one),
// and writes one line per job to `out`. With the push option pushgate.wait
// it then streams each job's log and outcome, up to the daemon's wait_limit.
// Problems are reported to `out` and never fail the push: it has landed.
// Never throws.
void run_post_receive(std::istream& input, std::ostream& out);

}  // namespace pushgate
