#pragma once
// The commits a push brings: reachable from its new tips and from no ref the
// repository has yet. Checks that look at history (secret scanning, commit
// signatures) run over these, not only over the tips.

#include <git2.h>

#include <cstddef>
#include <string_view>
#include <vector>

#include "core/util/error.hpp"

namespace pushgate::git {

// More new commits than a push may bring by default: a gate that reads every
// commit must bound its work, and a push this large is almost always a
// mistake (a foreign history pushed into the wrong repository).
constexpr std::size_t k_max_new_commits = 10000;

// The commits reachable from `tips` and from no reference of `repo` (every
// ref under refs/, tags peeled; refs that name no commit are ignored), parents
// before children. In pre-receive, open `repo` with open_from_environment():
// the quarantined objects are visible then and no ref has moved yet, so the
// result is exactly what the push adds. Tips that are already reachable give
// nothing. An Error (ErrorCode::input) says how many commits the push brings
// and names the limit when there are more than `max_count`; ErrorCode::git
// when a tip or a ref cannot be read.
Expected<std::vector<git_oid>> new_commits(git_repository* repo, const std::vector<git_oid>& tips,
                                           std::size_t max_count = k_max_new_commits);

// The commits of `range`, parents before children: "A..B" as git log reads it
// (reachable from B, not from A), or a single revision REV for just that
// commit. Errors as new_commits(); ErrorCode::usage when a revision does not
// resolve.
Expected<std::vector<git_oid>> commits_in_range(git_repository* repo, std::string_view range,
                                                std::size_t max_count = k_max_new_commits);

}  // namespace pushgate::git
