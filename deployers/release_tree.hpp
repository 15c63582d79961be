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
// duplicate names cannot make a write follow a symlink.

#include <git2.h>

#include <cstdint>
#include <filesystem>
#include <string>

#include "core/error.hpp"

namespace pushgate {

// What materialize_tree wrote.
struct TreeCopy {
  std::size_t files = 0;
  std::size_t folders = 0;
  std::size_t symlinks = 0;
  std::uint64_t bytes = 0;
};

// Writes the subtree at `path` ("" for the whole tree) of commit `commit`
// (full hex) into `dest`, which must not exist yet; its parent must. Files
// keep git's executable bit (0777 or 0666, less the umask). On any error
// `dest` is removed again and the Error names the offending path:
// ErrorCode::input for refused tree content, ErrorCode::git for objects that
// cannot be read, ErrorCode::io for the file system.
Expected<TreeCopy> materialize_tree(git_repository* repo, const std::string& commit, const std::string& path,
                                    const std::filesystem::path& dest);

}  // namespace pushgate
