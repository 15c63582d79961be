#pragma once
// What a release of a commit holds, read from the object database and
// checked before a single byte of it is written anywhere (a folder on this
// machine, or an archive for hosts).
//
// The pushed tree is hostile input. An entry that could write outside the
// release is refused and the whole release with it: names that are '.',
// '..', empty, contain '/' or occur twice in a folder (a write could then
// follow a symlink), symlinks whose target is absolute or leads outside the
// release (also through other symlinks: they are resolved against the tree
// itself, as the kernel would resolve them in the written folder), and
// submodules, which have no content in this repository. An entry named
// `.git` (in any case) is refused too: git would take the folder for a
// repository, and its config can run programs when someone types `git
// status` in the release. Sizes are checked from object headers, so no blob
// is read for the check but symlink targets.

#include <git2.h>

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/git/git.hpp"
#include "core/util/error.hpp"

namespace pushgate {

// How much a release holds.
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

// One entry of a release.
struct ReleaseEntry {
  std::string path;        // relative to the release, '/'-separated
  unsigned mode = 0;       // git's: 040000, 0100644, 0100755 or 0120000
  git_oid id{};
  std::uint64_t size = 0;  // a file's bytes; 0 for folders and symlinks
  std::string target;      // a symlink's target
};

// A release, checked: every entry, folders before what they hold, in tree order.
struct ReleaseContent {
  std::string tree;  // hex id of the release's tree
  TreeCopy totals;
  const std::vector<ReleaseEntry>& entries() const { return m_entries; }
  // The entry at `path`; nullptr when there is none.
  const ReleaseEntry* find(const std::string& path) const;
  // Appends `entry`; false (and nothing added) when its path is there already.
  bool add(ReleaseEntry entry);

 private:
  std::vector<ReleaseEntry> m_entries;
  std::unordered_map<std::string, std::size_t> m_index;  // path -> m_entries[i]
};

// The subtree at `path` ("" for the whole tree) of commit `commit` (full hex),
// checked as the header says. Errors name the offending path:
// ErrorCode::input for refused tree content, a file over `limits.max_file`
// or one that brings the release over `limits.max_release` (with its size
// and the cap), or a commit without that folder; ErrorCode::git for objects
// that cannot be read.
Expected<ReleaseContent> scan_release(git_repository* repo, const std::string& commit, const std::string& path,
                                      const ReleaseLimits& limits = {});

// The tree at `path` ("" for the whole tree) of commit `commit` (full hex):
// what scan_release reads. ErrorCode::input when the commit has no such
// folder, ErrorCode::git when objects cannot be read.
Expected<git::TreePtr> release_subtree(git_repository* repo, const std::string& commit, const std::string& path);

}  // namespace pushgate
