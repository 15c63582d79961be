#include "core/config/deploy_dir.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>

#include "core/util/finding.hpp"

namespace pushgate {

namespace fs = std::filesystem;

namespace {

fs::path resolved(const fs::path& path) {
  std::error_code ec;
  fs::path out = fs::weakly_canonical(path, ec);
  return ec ? path.lexically_normal() : out;
}

Error config_error(const Environment& env, const std::string& message) {
  Finding finding{env.deployer.dir_at, Severity::error, "config", message, {}};
  return {ErrorCode::config, format_finding(finding)};
}

}  // namespace

bool is_within(const fs::path& path, const fs::path& folder) {
  fs::path inner = resolved(path);
  fs::path outer = resolved(folder);
  auto [o, i] = std::mismatch(outer.begin(), outer.end(), inner.begin(), inner.end());
  // A trailing separator yields an empty last part; it does not make a difference.
  return o == outer.end() || (o->empty() && std::next(o) == outer.end());
}

Expected<bool> check_deploy_dirs_outside(const std::vector<Environment>& environments, const std::string& git_dir) {
  std::string message;
  for (const Environment& env : environments) {
    if (env.deployer.type != DeployerType::local || env.deployer.dir.empty()) continue;
    if (!is_within(env.deployer.dir, git_dir)) continue;
    message += (message.empty() ? "" : "\n") +
               config_error(env, fmt::format("environments.{}.deployer.dir '{}' is inside the repository {}; "
                                             "deploy into a folder of its own, like /srv/{}",
                                             env.name, env.deployer.dir, resolved(git_dir).string(), env.name))
                   .message;
  }
  if (message.empty()) return true;
  return Error{ErrorCode::config, message};
}

Expected<bool> check_deploy_dir(const Environment& env, const fs::path& spool, const fs::path& state) {
  if (env.deployer.type != DeployerType::local) return true;
  for (const auto& [what, folder] : {std::pair{"spool", spool}, std::pair{"state folder", state}}) {
    if (folder.empty()) continue;
    if (is_within(env.deployer.dir, folder))
      return config_error(env, fmt::format("environments.{}.deployer.dir '{}' is inside pushgated's {} {}; "
                                           "deploy into a folder of its own, like /srv/{}",
                                           env.name, env.deployer.dir, what, folder.string(), env.name));
  }
  return true;
}

Expected<bool> check_deploy_dir(const Environment& env, const DaemonConfig& config) {
  return check_deploy_dir(env, config.spool, config.state);
}

}  // namespace pushgate
