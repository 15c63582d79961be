#include "hooks/tree_to_read.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <optional>

#include "core/git/git.hpp"
#include "validators/tree/tree_diff.hpp"
#include "validators/tree/tree_links.hpp"

namespace pushgate {

namespace {

// Saved indexes tried as the base of a tree's index before reading it whole.
constexpr std::size_t k_base_candidates = 3;

struct IndexBase {
  git::TreePtr tree;
  TreeIndex index;
};

std::optional<IndexBase> load_base(git_repository* repo, const TreeIndexStore& store, const git_oid& tree) {
  auto index = store.load(tree);
  git_tree* raw = nullptr;
  if (!index || git_tree_lookup(&raw, repo, &tree) < 0) return std::nullopt;
  return IndexBase{git::TreePtr(raw), std::move(*index)};
}

// A saved index to start from: the old tree's, else a recent one (another
// branch's tip, most likely close to this tree). Its tree must still exist:
// an index outlives the objects of a push that was refused after all.
std::optional<IndexBase> find_base(git_repository* repo, const git_tree* old_tree, const TreeIndexStore& store) {
  const git_oid& old_id = *git_tree_id(old_tree);
  if (auto base = load_base(repo, store, old_id)) return base;
  std::size_t tried = 1;
  for (const git_oid& id : store.recent()) {
    if (tried == k_base_candidates) break;
    if (git_oid_equal(&id, &old_id)) continue;
    ++tried;
    if (auto base = load_base(repo, store, id)) return base;
  }
  return std::nullopt;
}

// Both sorted by path; a path in both is the same file of the new tree.
std::vector<ManifestEntry> merge_by_path(std::vector<ManifestEntry> a, std::vector<ManifestEntry> b) {
  std::vector<ManifestEntry> out;
  auto by_path = [](const ManifestEntry& x, const ManifestEntry& y) { return x.path < y.path; };
  std::set_union(std::make_move_iterator(a.begin()), std::make_move_iterator(a.end()),
                 std::make_move_iterator(b.begin()), std::make_move_iterator(b.end()), std::back_inserter(out),
                 by_path);
  return out;
}

// The entries at `paths` (sorted) of `tree`, symbolic links followed.
std::vector<ManifestEntry> entries_at(git_repository* repo, const git_tree* tree, const std::vector<std::string>& paths) {
  std::vector<ManifestEntry> out;
  for (const std::string& path : paths) {
    git_tree_entry* raw = nullptr;
    git::check(git_tree_entry_bypath(&raw, tree, path.c_str()), fmt::format("cannot find '{}' in the pushed tree", path));
    std::unique_ptr<git_tree_entry, decltype(&git_tree_entry_free)> entry(raw, git_tree_entry_free);
    if (git_tree_entry_filemode(raw) == GIT_FILEMODE_LINK)
      out.push_back(link_entry(repo, tree, path, *git_tree_entry_id(raw)));
    else
      out.emplace_back(path, 0, git::to_hex(*git_tree_entry_id(raw)));
  }
  return out;
}

}  // namespace

TreeToRead plan_tree_read(git_repository* repo, const git_tree* old_tree, const git_tree* new_tree,
                          const TreeIndexStore& store, const PathFilter& filter) {
  TreeDiff pushed = diff_trees(repo, old_tree, new_tree, filter);
  std::vector<std::string> changed;
  for (const ManifestEntry& e : pushed.changed) changed.push_back(e.path);

  // The rest of the tree comes from a saved index where there is one:
  // then only the files that differ from its tree are read.
  std::unique_ptr<TreeIndex> rest;
  std::vector<ManifestEntry> to_read = std::move(pushed.changed);
  if (old_tree) {
    if (auto base = find_base(repo, old_tree, store)) {
      rest = std::make_unique<TreeIndex>(std::move(base->index));
      TreeDiff since = git_oid_equal(git_tree_id(base->tree.get()), git_tree_id(old_tree))
                           ? TreeDiff{{}, std::move(pushed.removed)}
                           : diff_trees(repo, base->tree.get(), new_tree, filter);
      std::vector<std::string> stale = std::move(since.removed);
      stale.insert(stale.end(), changed.begin(), changed.end());
      rest->erase(std::move(stale));
      to_read = merge_by_path(std::move(to_read), std::move(since.changed));
    } else {
      to_read = diff_trees(repo, nullptr, new_tree, filter).changed;
    }
  }
  // A link stays the same while its target changes: every link of the
  // tree is followed and validated again on every push (there are few).
  // The CRDs of the tree define the schemas of its custom resources:
  // their files are read again on every push too (there are few).
  if (rest) {
    std::vector<std::string> links = rest->links();
    std::vector<std::string> crds = rest->crd_files();
    std::vector<std::string> reread;
    std::set_union(links.begin(), links.end(), crds.begin(), crds.end(), std::back_inserter(reread));
    rest->erase(reread);
    to_read = merge_by_path(std::move(to_read), entries_at(repo, new_tree, reread));
  }
  for (const ManifestEntry& e : to_read)
    if (!e.link.empty() || !e.problem.empty()) changed.push_back(e.path);
  return {std::move(rest), std::move(to_read), std::move(changed)};
}

}  // namespace pushgate
