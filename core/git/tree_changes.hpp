#pragma once
// The entries that differ between two git trees, found by comparing them
// folder by folder and descending only where folder ids differ: a commit
// that changes ten files of a large tree reads a handful of folders, not
// every entry of both trees (as libgit2's general-purpose tree diff does).

#include <git2.h>

#include <functional>
#include <string>

namespace pushgate::git {

// One path whose entry differs: `before` is null when the path is new,
// `after` null when it is gone. Both are set only when neither is a folder
// (a changed file, link or submodule: id or mode).
struct TreeChange {
  const std::string& path;  // '/'-separated, no trailing slash
  const git_tree_entry* before;
  const git_tree_entry* after;
};

// How a folder of the old tree that the new one lacks is reported.
enum class GoneFolders {
  whole,    // once, as a change whose `before` is the folder
  by_file,  // as every file in it, each gone
};

// Calls `visit` for every path that differs between `old_tree` and
// `new_tree` (either may be null: empty), folder by folder in tree order.
// A new folder is reported as each file in it, new. Where a folder replaces
// a non-folder or the other way round, the gone entry comes first, then the
// new one. Throws Failure (ErrorCode::git) naming the folder that cannot be
// read; the entries passed to `visit` live only during the call.
void for_each_tree_change(git_repository* repo, const git_tree* old_tree, const git_tree* new_tree,
                          GoneFolders gone, const std::function<void(const TreeChange&)>& visit);

}  // namespace pushgate::git
