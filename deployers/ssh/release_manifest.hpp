#pragma once
// What a release on a host holds, entry by entry, so the next release sends
// only what changed. Kept beside each release on the host as
// DIR/releases/.<id>.manifest; a release whose manifest is missing or cannot
// be read is simply not reused (the next release is sent whole).

#include <git2.h>

#include <string>
#include <string_view>
#include <vector>

#include "core/util/error.hpp"

namespace pushgate::ssh {

// One entry of a release: a folder, file or symlink at `path` (relative to
// the release, '/'-separated), with git's mode (040000, 100644, 100755,
// 120000) and object id.
struct ManifestEntry {
  unsigned mode = 0;
  std::string id;
  std::string path;
  bool operator==(const ManifestEntry&) const = default;
};

// Entries with every folder before what it holds.
using Manifest = std::vector<ManifestEntry>;

// The manifest of the subtree `path` of `commit`, read from the object
// database. Errors as release_subtree's.
Expected<Manifest> manifest_of(git_repository* repo, const std::string& commit, const std::string& path);

// "MODE ID PATH\0" per entry: paths may hold any byte but NUL and '/'-free
// names cannot be empty, so this is unambiguous.
std::string serialize(const Manifest& manifest);

// Reads what serialize wrote. An Error (ErrorCode::input) for anything else,
// including a path that is absolute, empty, or has '.' or '..' parts: the
// file comes from a host, and its paths are deleted from a release.
Expected<Manifest> parse_manifest(std::string_view text);

// How to turn a copy of release `live` into release `next`.
struct ManifestDiff {
  std::vector<std::string> removed;  // paths to delete (folders whole), none inside another
  Manifest added;                    // entries to create, folders first
  std::size_t kept_files = 0;        // files and symlinks reused as they are
};
ManifestDiff diff(const Manifest& live, const Manifest& next);

}  // namespace pushgate::ssh
