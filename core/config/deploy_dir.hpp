#pragma once
// Where a local deployer may write. Its `dir` gets release folders and a
// `current` link, and a deploy removes old releases there: pointed at `/`,
// at the repository, at the spool or state folder, or at another
// environment's folder, a deploy would overwrite or remove what pushgate
// itself (or the other environment) relies on.

#include <filesystem>
#include <string>
#include <vector>

#include "core/config/daemon_config.hpp"
#include "core/util/error.hpp"
#include "core/config/repo_config.hpp"

namespace pushgate {

// True when `path` is `folder` or inside it, compared after resolving the
// symbolic links of the parts of each that exist.
bool is_within(const std::filesystem::path& path, const std::filesystem::path& folder);

// An ErrorCode::config error listing, as file:line:col (the dir's place in
// pushgate.yaml), every local deployer of `environments` whose dir is the
// git directory `git_dir` or inside it; true when there is none.
Expected<bool> check_deploy_dirs_outside(const std::vector<Environment>& environments, const std::string& git_dir);

// For the daemon, which alone knows its spool and state folders: an
// ErrorCode::config error (file:line:col, and what to do) when `env` deploys
// with a local deployer into `config.spool` or `config.state`, or inside one.
Expected<bool> check_deploy_dir(const Environment& env, const DaemonConfig& config);
Expected<bool> check_deploy_dir(const Environment& env, const std::filesystem::path& spool,
                                const std::filesystem::path& state);

}  // namespace pushgate
