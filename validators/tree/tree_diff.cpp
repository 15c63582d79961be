#include "validators/tree/tree_diff.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/git/git.hpp"
#include "validators/tree/tree_links.hpp"

namespace pushgate {

namespace {

bool is_tree(const git_tree_entry* entry) { return git_tree_entry_type(entry) == GIT_OBJECT_TREE; }

git::TreePtr subtree(git_repository* repo, const git_tree_entry* entry, const std::string& path) {
  git_tree* raw = nullptr;
  git::check(git_tree_lookup(&raw, repo, git_tree_entry_id(entry)), fmt::format("cannot read folder '{}'", path));
  return git::TreePtr(raw);
}

class Differ {
 public:
  Differ(git_repository* repo, const git_tree* root, const PathFilter& filter)
      : m_repo(repo), m_root(root), m_filter(filter) {}

  void compare(const git_tree* old_tree, const git_tree* new_tree, const std::string& prefix) {
    for (std::size_t i = 0, n = git_tree_entrycount(new_tree); i < n; ++i) {
      const git_tree_entry* entry = git_tree_entry_byindex(new_tree, i);
      const char* name = git_tree_entry_name(entry);
      const git_tree_entry* before = old_tree ? git_tree_entry_byname(old_tree, name) : nullptr;
      if (before && git_oid_equal(git_tree_entry_id(before), git_tree_entry_id(entry)) &&
          git_tree_entry_filemode(before) == git_tree_entry_filemode(entry))
        continue;
      std::string path = prefix + name;
      if (before && !(is_tree(before) && is_tree(entry))) m_diff.removed.push_back(is_tree(before) ? path + "/" : path);
      if (is_tree(entry)) {
        git::TreePtr old_sub = before && is_tree(before) ? subtree(m_repo, before, path) : nullptr;
        compare(old_sub.get(), subtree(m_repo, entry, path).get(), path + "/");
      } else {
        add_file(entry, std::move(path));
      }
    }
    if (!old_tree) return;
    for (std::size_t i = 0, n = git_tree_entrycount(old_tree); i < n; ++i) {
      const git_tree_entry* entry = git_tree_entry_byindex(old_tree, i);
      if (!git_tree_entry_byname(new_tree, git_tree_entry_name(entry)))
        m_diff.removed.push_back(prefix + git_tree_entry_name(entry) + (is_tree(entry) ? "/" : ""));
    }
  }

  TreeDiff finish() {
    std::sort(m_diff.changed.begin(), m_diff.changed.end(),
              [](const ManifestEntry& a, const ManifestEntry& b) { return a.path < b.path; });
    return std::move(m_diff);
  }

 private:
  // A symbolic link deploys what it points to; submodules are not deployed.
  void add_file(const git_tree_entry* entry, std::string path) {
    git_filemode_t mode = git_tree_entry_filemode(entry);
    bool link = mode == GIT_FILEMODE_LINK;
    if (!link && mode != GIT_FILEMODE_BLOB && mode != GIT_FILEMODE_BLOB_EXECUTABLE) return;
    if (!m_filter.selects(path)) return;
    if (link)
      m_diff.changed.push_back(link_entry(m_repo, m_root, std::move(path), *git_tree_entry_id(entry)));
    else
      m_diff.changed.push_back({std::move(path), 0, git::to_hex(*git_tree_entry_id(entry))});
  }

  git_repository* m_repo;
  const git_tree* m_root;  // of the new tree: where links are followed
  const PathFilter& m_filter;
  TreeDiff m_diff;
};

}  // namespace

TreeDiff diff_trees(git_repository* repo, const git_tree* old_tree, const git_tree* new_tree,
                    const PathFilter& filter) {
  Differ differ(repo, new_tree, filter);
  differ.compare(old_tree, new_tree, "");
  return differ.finish();
}

}  // namespace pushgate
