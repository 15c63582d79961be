#include "validators/tree/tree_diff.hpp"

#include <algorithm>

#include "core/git/git.hpp"
#include "core/git/tree_changes.hpp"
#include "validators/tree/tree_links.hpp"

namespace pushgate {

namespace {

class Differ {
 public:
  Differ(git_repository* repo, const git_tree* root, const PathFilter& filter)
      : m_repo(repo), m_root(root), m_filter(filter) {}

  void visit(const git::TreeChange& change) {
    if (change.before) {
      bool folder = git_tree_entry_type(change.before) == GIT_OBJECT_TREE;
      m_diff.removed.push_back(folder ? change.path + "/" : change.path);
    }
    if (change.after) add_file(change.after, change.path);
  }

  TreeDiff finish() {
    std::sort(m_diff.changed.begin(), m_diff.changed.end(),
              [](const ManifestEntry& a, const ManifestEntry& b) { return a.path < b.path; });
    return std::move(m_diff);
  }

 private:
  // A symbolic link deploys what it points to; submodules are not deployed.
  void add_file(const git_tree_entry* entry, const std::string& path) {
    git_filemode_t mode = git_tree_entry_filemode(entry);
    bool link = mode == GIT_FILEMODE_LINK;
    if (!link && mode != GIT_FILEMODE_BLOB && mode != GIT_FILEMODE_BLOB_EXECUTABLE) return;
    if (!m_filter.selects(path)) return;
    if (link)
      m_diff.changed.push_back(link_entry(m_repo, m_root, path, *git_tree_entry_id(entry)));
    else
      m_diff.changed.push_back({path, 0, git::to_hex(*git_tree_entry_id(entry))});
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
  git::for_each_tree_change(repo, old_tree, new_tree, git::GoneFolders::whole,
                            [&](const git::TreeChange& change) { differ.visit(change); });
  return differ.finish();
}

}  // namespace pushgate
