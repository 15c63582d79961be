#pragma once
// What one commit adds, file by file: its diff against its first parent (the
// whole tree for a root commit). For a merge, a line counts as added only
// when it is new against every parent, so a merge is not blamed for what
// its parents brought.

#include <git2.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/git/git.hpp"
#include "core/util/error.hpp"
#include "validators/secrets/line_ranges.hpp"

namespace pushgate::secrets {

struct ChangedFile {
  std::string path;
  git_oid blob{};
  std::uint64_t size = 0;
  bool whole = false;  // a new file: every line is added
  LineRanges added;    // otherwise the added lines
};

// The regular files (not links or submodules) that `commit` adds or changes,
// in path order; files whose blob is identical in a parent (an exact rename)
// are left out. Contents are not read here: only for modified files, to find
// the added lines, and only when they are at most `max_size` bytes (a
// larger file is listed with `whole` set, for the caller to refuse or skip).
// Errors (ErrorCode::git) name the commit.
Expected<std::vector<ChangedFile>> changed_files(git_repository* repo, const git_oid& commit, std::uint64_t max_size);

}  // namespace pushgate::secrets
