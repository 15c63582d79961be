#pragma once
// What the pre-receive hook reads of a pushed tree: the files the push
// changed, and, where a saved tree index is close (the old tree's, or a
// recent one), the files that differ from that index's tree; the rest of the
// tree then comes from the index instead of being read again.

#include <git2.h>

#include <memory>
#include <string>
#include <vector>

#include "core/util/glob.hpp"
#include "validators/manifest.hpp"
#include "validators/tree/tree_index.hpp"
#include "validators/tree/tree_index_store.hpp"

namespace pushgate {

struct TreeToRead {
  // The objects of the files not read, from a saved index; null when every
  // selected file of the tree is read. On the heap: the report's
  // ObjectIndex points at it, and both are kept to be saved.
  std::unique_ptr<TreeIndex> rest;
  std::vector<ManifestEntry> to_read;  // sorted by path
  // The paths checked in full: what the push changed, and every symbolic
  // link read (its target may have changed while the link did not).
  std::vector<std::string> changed;
};

// `old_tree` is what the pushed `new_tree` is compared with (null: nothing,
// a first push); `filter` selects the manifests.
TreeToRead plan_tree_read(git_repository* repo, const git_tree* old_tree, const git_tree* new_tree,
                          const TreeIndexStore& store, const PathFilter& filter);

}  // namespace pushgate
