#include "daemon/drift_targets.hpp"

#include <glob.h>

#include <memory>
#include <set>

#include "core/config/repo_config.hpp"
#include "core/jobs/job.hpp"

namespace pushgate::daemon {

namespace {

std::vector<std::string> expand(const std::string& pattern) {
  glob_t found{};
  std::unique_ptr<glob_t, void (*)(glob_t*)> owner(&found, ::globfree);
  if (::glob(pattern.c_str(), GLOB_ONLYDIR | GLOB_NOSORT, nullptr, &found) != 0) return {};
  return {found.gl_pathv, found.gl_pathv + found.gl_pathc};
}

}  // namespace

std::vector<DriftTarget> find_drift_targets(const DaemonConfig& daemon) {
  std::set<std::string> repos;
  for (const auto& pattern : daemon.repositories)
    for (const auto& path : expand(pattern)) {
      std::string repo = repo_identity(path);
      if (serves_repository(daemon, repo)) repos.insert(repo);
    }
  std::vector<DriftTarget> out;
  for (const auto& repo : repos) {
    auto config = load_repo_config(repo);
    if (!config) continue;
    for (const auto& env : config->environments)
      if (env.drift) out.push_back({repo, env.name, env.drift->interval});
  }
  return out;
}

}  // namespace pushgate::daemon
