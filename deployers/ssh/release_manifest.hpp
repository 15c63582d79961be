#pragma once
// What a release holds, entry by entry, so the next release sends only what
// changed. A release is a git tree, so its manifest is read from the
// server's own object database by the tree id the host records beside the
// release (remote_release_folder.hpp): nothing of it crosses the wire. A
// tree the repository no longer has (pruned after a force push) is simply
// not reused: the next release is sent whole.

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

// The id (hex) of the subtree `path` ("" for the whole tree) of `commit`:
// what materialize_tree writes. Errors as release_subtree's.
Expected<std::string> tree_id_of(git_repository* repo, const std::string& commit, const std::string& path);

// The manifest of tree `tree_hex` (a release's, or the one a host says its
// release was made from), folders before what they hold. ErrorCode::input
// when the repository has no such tree (or the text is no object id),
// ErrorCode::git when it cannot be read.
Expected<Manifest> manifest_of_tree(git_repository* repo, std::string_view tree_hex);

// The manifest of the subtree `path` of `commit` (what a drift check compares
// a release with). Errors as tree_id_of's.
Expected<Manifest> manifest_of(git_repository* repo, const std::string& commit, const std::string& path);

// How to turn a copy of release `live` into release `next`.
struct ManifestDiff {
  std::vector<std::string> removed;  // paths to delete (folders whole), none inside another
  Manifest added;                    // entries to create, folders first
  std::size_t kept_files = 0;        // files and symlinks reused as they are
};
ManifestDiff diff(const Manifest& live, const Manifest& next);

}  // namespace pushgate::ssh
