#include "core/git/tree_changes.hpp"

#include <fmt/format.h>

#include "core/git/git.hpp"

namespace pushgate::git {

namespace {

bool is_folder(const git_tree_entry* entry) { return entry && git_tree_entry_type(entry) == GIT_OBJECT_TREE; }

class Walker {
 public:
  Walker(git_repository* repo, GoneFolders gone, const std::function<void(const TreeChange&)>& visit)
      : m_repo(repo), m_gone(gone), m_visit(visit) {}

  // `prefix` is empty or ends with '/'.
  void compare(const git_tree* old_tree, const git_tree* new_tree, const std::string& prefix) {
    if (new_tree) {
      for (std::size_t i = 0, n = git_tree_entrycount(new_tree); i < n; ++i) {
        const git_tree_entry* after = git_tree_entry_byindex(new_tree, i);
        const git_tree_entry* before = old_tree ? git_tree_entry_byname(old_tree, git_tree_entry_name(after)) : nullptr;
        if (before && git_oid_equal(git_tree_entry_id(before), git_tree_entry_id(after)) &&
            git_tree_entry_filemode(before) == git_tree_entry_filemode(after))
          continue;
        changed(prefix + git_tree_entry_name(after), before, after);
      }
    }
    if (!old_tree) return;
    for (std::size_t i = 0, n = git_tree_entrycount(old_tree); i < n; ++i) {
      const git_tree_entry* before = git_tree_entry_byindex(old_tree, i);
      if (!new_tree || !git_tree_entry_byname(new_tree, git_tree_entry_name(before)))
        changed(prefix + git_tree_entry_name(before), before, nullptr);
    }
  }

 private:
  void changed(const std::string& path, const git_tree_entry* before, const git_tree_entry* after) {
    if (is_folder(before) && is_folder(after)) {
      compare(folder(before, path).get(), folder(after, path).get(), path + "/");
      return;
    }
    if (is_folder(before) || is_folder(after)) {
      if (before) gone(path, before);
      if (after) added(path, after);
      return;
    }
    m_visit(TreeChange{path, before, after});
  }

  void gone(const std::string& path, const git_tree_entry* before) {
    if (is_folder(before) && m_gone == GoneFolders::by_file) compare(folder(before, path).get(), nullptr, path + "/");
    else m_visit(TreeChange{path, before, nullptr});
  }

  void added(const std::string& path, const git_tree_entry* after) {
    if (is_folder(after)) compare(nullptr, folder(after, path).get(), path + "/");
    else m_visit(TreeChange{path, nullptr, after});
  }

  TreePtr folder(const git_tree_entry* entry, const std::string& path) {
    git_tree* raw = nullptr;
    check(git_tree_lookup(&raw, m_repo, git_tree_entry_id(entry)), fmt::format("cannot read folder '{}'", path));
    return TreePtr(raw);
  }

  git_repository* m_repo;
  GoneFolders m_gone;
  const std::function<void(const TreeChange&)>& m_visit;
};

}  // namespace

void for_each_tree_change(git_repository* repo, const git_tree* old_tree, const git_tree* new_tree,
                          GoneFolders gone, const std::function<void(const TreeChange&)>& visit) {
  Walker(repo, gone, visit).compare(old_tree, new_tree, "");
}

}  // namespace pushgate::git
