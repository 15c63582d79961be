#pragma once
// Deploys to a fleet of hosts over SSH (deployer: {type: ssh}): hosts in
// rolling batches, the first being the canary, `parallel` hosts at once
// within a batch. Each host gets the release layout of the local deployer
// (remote_release_folder.hpp) and its health checked after its switch; the
// first batch with a failed host stops the rollout and every host already
// switched is switched back (rolled-back). Hosts that cannot be reached
// fail their batch too, unless there are at most `max_unavailable` of them:
// then the rollout goes on and the outcome says which hosts were left
// behind.

#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/config/repo_config.hpp"
#include "deployers/deployer.hpp"
#include "deployers/ssh/host_connections.hpp"
#include "deployers/ssh/host_rollout.hpp"

namespace pushgate::ssh {

// What one host has live, as it says now.
struct HostLive {
  HostSpec host;
  std::optional<Release> live;  // nullopt: nothing live (or the host could not be asked: `error`)
  std::string error;            // why the host could not be asked; "" when it answered
};

class SshDeployer : public Deployer {
 public:
  // `staging` is a folder of this machine where each release is written
  // once before it is sent (removed again after the deploy). Throws
  // Failure (ErrorCode::config) for settings it cannot work with.
  SshDeployer(Environment env, std::filesystem::path staging);

  DeployOutcome deploy(const DeployRequest& request) override;
  DeployOutcome rollback(const DeployRequest& request, const std::string& to_commit) override;
  // What most reachable hosts have live (the release kept there); nullopt
  // when no host has anything live or none can be reached. Asked of the
  // hosts once, then known from what a deploy or rollback did, asked again
  // after a discard. The connections it opens are kept for the deploy.
  std::optional<LiveRelease> live() const override;
  // What each host has live, read from its DIR/current and the release's
  // record (remote_release_folder.hpp), `parallel` (at least 4) hosts at
  // once; in the order of hosts().
  std::vector<HostLive> live_per_host() const;
  // Releases kept on any host, newest first.
  std::vector<LiveRelease> releases() const override;
  Expected<bool> discard(const std::string& release) override;
  // Every host as ssh/host_drift.hpp says, `parallel` (at least 4) at once;
  // hosts that cannot be reached are Drift::unchecked, an Error when none
  // can be.
  Expected<Drift> drift(const DeployRequest& request) override;

  // The hosts, with the deployer's user, port and dir filled in.
  const std::vector<HostSpec>& hosts() const { return m_hosts; }

 private:
  // Runs the rollout: `reuse_kept` for a rollback to kept releases.
  DeployOutcome roll_out(const DeployRequest& request, bool reuse_kept);

  Environment m_env;
  SshSettings m_settings;
  std::vector<HostSpec> m_hosts;
  mutable HostConnections m_connections;
  std::filesystem::path m_staging;
  mutable std::optional<std::optional<LiveRelease>> m_live;  // what live() found last
};

}  // namespace pushgate::ssh
