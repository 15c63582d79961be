#pragma once
// Writes a commit's subtree into a release folder straight from the object
// database: no checkout of the server repository, no index, no filters, so
// the folder holds exactly the bytes that were pushed.
//
// The pushed tree is hostile input. An entry that would write outside the
// folder is refused and the whole release with it: names that are '.', '..',
// empty or contain '/', symlinks whose target is absolute or leads outside
// the folder (also through other symlinks), and submodules, which have no
// content in this repository. Files are created relative to open folder
// descriptors with O_NOFOLLOW | O_EXCL, so even a malformed tree with
// duplicate names cannot make a write follow a symlink. An entry named
// `.git` (in any case) is refused too: git would take the folder for a
// repository, and its config can run programs when someone types `git
// status` in the release.
//
// Sizes are checked from object headers before a blob is read, and blobs are
// streamed into the release where the object database allows it, so a huge
// blob that compressed into a small push never sits in memory.

#include <git2.h>

#include <cstdint>
#include <filesystem>
#include <string>

#include "core/git/git.hpp"
#include "core/util/error.hpp"

namespace pushgate {

// What materialize_tree wrote.
struct TreeCopy {
  std::size_t files = 0;
  std::size_t folders = 0;
  std::size_t symlinks = 0;
  std::uint64_t bytes = 0;
};

// Caps on what one release may hold (DeployerSettings::max_file_size and
// max_release_size).
struct ReleaseLimits {
  std::uint64_t max_file = 100ull << 20;
  std::uint64_t max_release = 1ull << 30;
};

// Writes the subtree at `path` ("" for the whole tree) of commit `commit`
// (full hex) into `dest`, which must not exist yet; its parent must. Files
// keep git's executable bit (0777 or 0666, less the umask). On any error
// `dest` is removed again and the Error names the offending path:
// ErrorCode::input for refused tree content, ErrorCode::git for objects that
// cannot be read, ErrorCode::io for the file system. A file over
// `limits.max_file`, or one that brings the release over
// `limits.max_release`, is refused (ErrorCode::input) naming its path, its
// size and the cap.
Expected<TreeCopy> materialize_tree(git_repository* repo, const std::string& commit, const std::string& path,
                                    const std::filesystem::path& dest, const ReleaseLimits& limits = {});

// The tree at `path` ("" for the whole tree) of commit `commit` (full hex):
// what materialize_tree writes. ErrorCode::input when the commit has no such
// folder, ErrorCode::git when objects cannot be read.
Expected<git::TreePtr> release_subtree(git_repository* repo, const std::string& commit, const std::string& path);

}  // namespace pushgate
