#include "deployers/deployer.hpp"

#include <fmt/format.h>

#include "deployers/command_deployer.hpp"
#include "deployers/kubernetes/kubernetes_deployer.hpp"
#include "deployers/local_deployer.hpp"
#include "deployers/ssh/ssh_deployer.hpp"

namespace pushgate {

namespace {

// Where deployers that send releases elsewhere write them first.
std::filesystem::path staging_dir(const std::string& state_dir) {
  return state_dir.empty() ? std::filesystem::temp_directory_path() / "pushgate-staging"
                           : std::filesystem::path(state_dir) / "staging";
}

}  // namespace

Expected<Drift> Deployer::drift(const DeployRequest& request) {
  return Error{ErrorCode::config, fmt::format("environment {}: this kind of target cannot check drift",
                                              request.env ? request.env->name : std::string("?"))};
}

std::unique_ptr<Deployer> make_deployer(const Environment& env, const std::string& repo,
                                        const std::string& state_dir, ProcessRunner& runner) {
  switch (env.deployer.type) {
    case DeployerType::local:
      if (!env.deployer.dir.starts_with('/'))
        throw Failure(ErrorCode::config,
                      fmt::format("environment {}: a local deployer needs an absolute dir", env.name));
      return std::make_unique<LocalDeployer>(env, env.deployer.dir, runner);
    case DeployerType::command:
      if (env.deployer.run.empty())
        throw Failure(ErrorCode::config, fmt::format("environment {}: a command deployer needs run", env.name));
      if (state_dir.empty())
        throw Failure(
            ErrorCode::config,
            fmt::format("environment {}: a command deployer needs the daemon's state folder", env.name));
      return std::make_unique<CommandDeployer>(env, repo, state_dir, runner);
    case DeployerType::ssh:
      // Each release is written here once, then sent to every host.
      return std::make_unique<ssh::SshDeployer>(env, staging_dir(state_dir));
    case DeployerType::kubernetes:
      return std::make_unique<kubernetes::KubernetesDeployer>(env, repo, staging_dir(state_dir), runner);
  }
  throw Failure(ErrorCode::internal, fmt::format("environment {}: unknown deployer type", env.name));
}

}  // namespace pushgate
