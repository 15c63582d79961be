#pragma once
// The post-receive hand-over: after git accepted a push, queue one durable
// deploy job per environment that an updated branch maps to, tell the pusher,
// and return at once. The daemon (pushgated) does the deploying; this never
// starts a child process, so nothing can keep the push hanging.

#include <iosfwd>
#include <string>
#include <vector>

#include "core/git/ref_update.hpp"
#include "core/config/repo_config.hpp"

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

// What the hook script passes on the command line (`pushgate install` writes
// it); the environment is the pusher's to set and is not asked.
struct PostReceiveOptions {
  std::string daemon_config;  // --daemon-config FILE; "" = /etc/pushgate/pushgated.yaml
  std::string identity_from;  // --identity-from VAR; "" = the hook's own account
};

// Reads `<old> <new> <ref>` lines from `input`, pings the daemon of
// `options.daemon_config`, queues the deploys into the spool that daemon
// serves (that of the config when none answers), and writes one line per
// job to `out`. With the push option pushgate.wait it then streams each
// job's log and outcome, up to the daemon's wait_limit. Problems are
// reported to `out` and never fail the push: it has landed. Never throws.
void run_post_receive(std::istream& input, std::ostream& out, const PostReceiveOptions& options);

}  // namespace pushgate
