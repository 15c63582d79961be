#pragma once
// What differs between two git trees, as the manifests a push changes: found
// folder by folder, descending only where ids differ
// (core/git/tree_changes.hpp), so a push that changes ten files of a large
// tree reads a handful of folders.

#include <git2.h>

#include <string>
#include <vector>

#include "core/util/glob.hpp"
#include "validators/manifest.hpp"

namespace pushgate {

struct TreeDiff {
  // Regular files and symbolic links of the new tree that `filter` selects
  // and that are new or differ in content or mode, sorted by path; `key` is
  // the blob id (a link's: its target's, see validators/tree/tree_links.hpp).
  std::vector<ManifestEntry> changed;
  // What of the old tree is gone or replaced: file paths, and "dir/" for a
  // whole folder. Not filtered.
  std::vector<std::string> removed;
};

// `old_tree` may be null: every file of `new_tree` is then changed. Throws
// Failure when a folder cannot be read.
TreeDiff diff_trees(git_repository* repo, const git_tree* old_tree, const git_tree* new_tree,
                    const PathFilter& filter);

}  // namespace pushgate
