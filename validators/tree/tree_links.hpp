#pragma once
// Symbolic links of a git tree, followed the way a checkout of the tree
// would follow them, but never out of the tree: a link named like a manifest
// deploys its target's content, so that content is what the gate validates.

#include <git2.h>

#include <string>

#include "core/util/error.hpp"
#include "validators/manifest.hpp"

namespace pushgate {

// The file a link leads to within the tree.
struct LinkTarget {
  std::string path;  // '/'-separated, from the root of the tree
  git_oid blob;
};

// Follows the link at `path` of `root` (whose content is the blob
// `link_blob`) relative to the link's folder, and any links met on the way,
// at most 40 of them. An Error (ErrorCode::input) saying what to do when the
// link is absolute, leaves the tree through "..", dangles, loops, or ends at
// a folder or submodule rather than a file.
Expected<LinkTarget> resolve_link(git_repository* repo, const git_tree* root, const std::string& path,
                                  const git_oid& link_blob);

// The manifest entry of the link at `path`: the target's blob as its key and
// the target's path as `link`, or the reason it cannot be followed as
// `problem`.
ManifestEntry link_entry(git_repository* repo, const git_tree* root, std::string path, const git_oid& link_blob);

}  // namespace pushgate
