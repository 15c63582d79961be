#pragma once
// Deploys by running an administrator's command (`type: command`), such as
// an Ansible playbook or a script that copies to hosts pushgate does not
// know. Each release is written to the daemon's state folder,
// STATE/releases/<12 hex of the SHA-1 of the repository path>/<env>/, laid
// out as for the local deployer; `run` is run with `{release}` replaced by
// the release folder, after `before` and before `current` is switched, so
// `current` names the last release `run` deployed successfully. Switching
// back re-runs `run` for the release that was live.

#include <filesystem>
#include <string>

#include "deployers/local_deployer.hpp"

namespace pushgate {

class CommandDeployer : public LocalDeployer {
 public:
  // `repo` is the repository's git directory (Job::repo), `state_dir` the
  // daemon's state folder. `runner` must outlive the deployer.
  CommandDeployer(Environment env, const std::string& repo, const std::filesystem::path& state_dir,
                  ProcessRunner& runner);

  // Where the releases of environment `env` of repository `repo` are kept.
  static std::filesystem::path release_root(const std::string& repo, const std::string& env,
                                            const std::filesystem::path& state_dir);

  // None: what `run` deployed is out of sight, and the release folder here
  // is only its input. The base Deployer's error (ErrorCode::config).
  Expected<Drift> drift(const DeployRequest& request) override;

 protected:
  std::optional<std::string> activate(const StepRunner& steps, const StepContext& context) override;
};

}  // namespace pushgate
