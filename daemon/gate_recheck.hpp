#pragma once
// The gate again, in pushgated, where the hooks' verdict cannot be taken as
// given. `git init --shared=group` makes a repository's git directory and its
// config group-writable, so any member can push past the hooks (set
// core.hooksPath, or swap the hooks folder for a moment) and the next
// deploy would ship what no hook saw. In such a repository pushgated
// validates the commit's tree itself before deploying it; elsewhere the
// hooks are the administrator's alone and their verdict stands.

#include <git2.h>

#include <optional>
#include <string>

#include "core/config/repo_config.hpp"

namespace pushgate::daemon {

// True when accounts other than its owner can write `git_dir` or its config,
// and so can run a push that skips the hooks.
bool hooks_bypassable(const std::string& git_dir);

// nullopt when `commit` passes the checks `settings` configures; else one
// line for the deploy log and the note: how many errors, and the first.
std::optional<std::string> recheck_commit(git_repository* repo, const std::string& commit,
                                          const ValidateSettings& settings);

}  // namespace pushgate::daemon
