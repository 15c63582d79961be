#pragma once
// Writes a commit's subtree into a release folder straight from the object
// database: no checkout of the server repository, no index, no filters, so
// the folder holds exactly the bytes that were pushed.
//
// The tree is checked whole first (release_scan.hpp: hostile names,
// symlinks leading out, submodules, `.git`, sizes), so a refused release
// writes nothing. Files are then created relative to open folder descriptors
// with O_NOFOLLOW | O_EXCL, so no write ever follows a symlink, and blobs
// are streamed into the release where the object database allows it
// (blob_content.hpp).

#include <git2.h>

#include <filesystem>
#include <string>

#include "core/util/error.hpp"
#include "deployers/release_scan.hpp"

namespace pushgate {

// Writes the subtree at `path` ("" for the whole tree) of commit `commit`
// (full hex) into `dest`, which must not exist yet; its parent must. Files
// keep git's executable bit (0777 or 0666, less the umask). On any error
// `dest` is removed again (or never made) and the Error names the offending
// path: scan_release's errors, and ErrorCode::io for the file system.
Expected<TreeCopy> materialize_tree(git_repository* repo, const std::string& commit, const std::string& path,
                                    const std::filesystem::path& dest, const ReleaseLimits& limits = {});

}  // namespace pushgate
