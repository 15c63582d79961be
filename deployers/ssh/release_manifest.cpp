#include "deployers/ssh/release_manifest.hpp"

#include <fmt/format.h>

#include <map>
#include <set>

#include "core/git/git.hpp"
#include "deployers/release_scan.hpp"

namespace pushgate::ssh {

namespace {

constexpr unsigned k_tree_mode = 040000;

// Whether any folder above `path` is in `paths`.
bool under_any(const std::string& path, const std::set<std::string>& paths) {
  for (std::size_t slash = path.find('/'); slash != std::string::npos; slash = path.find('/', slash + 1))
    if (paths.contains(path.substr(0, slash))) return true;
  return false;
}

int collect(const char* root, const git_tree_entry* entry, void* payload) {
  auto* out = static_cast<Manifest*>(payload);
  out->push_back({static_cast<unsigned>(git_tree_entry_filemode(entry)), git::to_hex(*git_tree_entry_id(entry)),
                  std::string(root) + git_tree_entry_name(entry)});
  return 0;
}

// Every entry of `tree`, folders first; `what` names it in errors.
Expected<Manifest> walk(const git_tree* tree, std::string_view what) {
  Manifest out;
  if (git_tree_walk(tree, GIT_TREEWALK_PRE, collect, &out) < 0)
    return git::git_failure(fmt::format("cannot list the tree of {}", what));
  return out;
}

}  // namespace

Expected<std::string> tree_id_of(git_repository* repo, const std::string& commit, const std::string& path) {
  auto tree = release_subtree(repo, commit, path);
  if (!tree) return tree.error();
  return git::to_hex(*git_tree_id(tree->get()));
}

Expected<Manifest> manifest_of_tree(git_repository* repo, std::string_view tree_hex) {
  auto oid = git::parse_oid(tree_hex);
  git_tree* raw = nullptr;
  if (!oid || git_tree_lookup(&raw, repo, &*oid) != 0)
    return Error{ErrorCode::input, fmt::format("the repository has no tree '{}'", tree_hex)};
  git::TreePtr tree(raw);
  return walk(tree.get(), tree_hex);
}

Expected<Manifest> manifest_of(git_repository* repo, const std::string& commit, const std::string& path) {
  auto tree = tree_id_of(repo, commit, path);
  if (!tree) return tree.error();
  return manifest_of_tree(repo, *tree);
}

ManifestDiff diff(const Manifest& live, const Manifest& next) {
  std::map<std::string, const ManifestEntry*> wanted;
  for (const auto& e : next) wanted[e.path] = &e;
  ManifestDiff out;
  std::set<std::string> gone;
  for (const auto& e : live) {
    if (under_any(e.path, gone)) continue;
    auto it = wanted.find(e.path);
    // A folder stays when it is still a folder; what it holds is compared entry by entry.
    bool same = it != wanted.end() && it->second->mode == e.mode && (e.mode == k_tree_mode || it->second->id == e.id);
    if (!same) {
      gone.insert(e.path);
      out.removed.push_back(e.path);
    }
  }
  std::set<std::string> present;
  for (const auto& e : live) present.insert(e.path);
  for (const auto& e : next) {
    if (present.contains(e.path) && !gone.contains(e.path) && !under_any(e.path, gone)) {
      if (e.mode != k_tree_mode) ++out.kept_files;
      continue;
    }
    out.added.push_back(e);
  }
  return out;
}

}  // namespace pushgate::ssh
