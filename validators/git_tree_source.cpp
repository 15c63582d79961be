#include "validators/git_tree_source.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/git.hpp"

namespace pushgate {

namespace {

struct WalkState {
  const PathFilter* filter;
  std::vector<ManifestEntry>* out;
};

int collect(const char* root, const git_tree_entry* entry, void* payload) {
  auto* state = static_cast<WalkState*>(payload);
  if (git_tree_entry_type(entry) != GIT_OBJECT_BLOB) return 0;
  git_filemode_t mode = git_tree_entry_filemode(entry);
  if (mode != GIT_FILEMODE_BLOB && mode != GIT_FILEMODE_BLOB_EXECUTABLE) return 0;
  std::string path = std::string(root) + git_tree_entry_name(entry);
  if (!state->filter->selects(path)) return 0;
  state->out->push_back({std::move(path), 0, git::to_hex(*git_tree_entry_id(entry))});
  return 0;
}

}  // namespace

GitTreeSource::GitTreeSource(git_repository* repo, git_tree* tree, const PathFilter& filter)
    : m_repo(repo) {
  git_odb* raw = nullptr;
  git::check(git_repository_odb(&raw, repo), "cannot open the object database");
  m_odb.reset(raw);
  WalkState state{&filter, &m_entries};
  git::check(git_tree_walk(tree, GIT_TREEWALK_PRE, collect, &state), "cannot walk the pushed tree");
  std::sort(m_entries.begin(), m_entries.end(),
            [](const auto& a, const auto& b) { return a.path < b.path; });
}

Expected<std::string> GitTreeSource::read(const ManifestEntry& entry) const {
  auto oid = git::parse_oid(entry.key);
  if (!oid) return oid.error();
  git_blob* raw = nullptr;
  if (git_blob_lookup(&raw, m_repo, &*oid) < 0) {
    return Error{ErrorCode::git, fmt::format("cannot read '{}' ({}): {}", entry.path, entry.key,
                                             git_error_last() ? git_error_last()->message : "")};
  }
  git::BlobPtr blob(raw);
  const char* data = static_cast<const char*>(git_blob_rawcontent(raw));
  return std::string(data, static_cast<std::size_t>(git_blob_rawsize(raw)));
}

std::uint64_t GitTreeSource::size(const ManifestEntry& entry) const {
  git_oid oid;
  size_t size = 0;
  git_object_t type;
  if (git_oid_fromstr(&oid, entry.key.c_str()) < 0 ||
      git_odb_read_header(&size, &type, m_odb.get(), &oid) < 0)
    return 0;
  return size;
}

namespace {

git::TreePtr subtree(git_repository* repo, const git_tree_entry* entry) {
  git_tree* raw = nullptr;
  git::check(git_tree_lookup(&raw, repo, git_tree_entry_id(entry)),
             fmt::format("cannot read folder '{}'", git_tree_entry_name(entry)));
  return git::TreePtr(raw);
}

// Descends only into folders whose ids differ, so a push that changes ten
// files of a large tree reads a handful of folders, not every entry (which
// libgit2's general-purpose diff does).
void collect_changes(git_repository* repo, const git_tree* old_tree, const git_tree* new_tree,
                     const std::string& prefix, std::vector<std::string>& out) {
  for (std::size_t i = 0, n = git_tree_entrycount(new_tree); i < n; ++i) {
    const git_tree_entry* entry = git_tree_entry_byindex(new_tree, i);
    const char* name = git_tree_entry_name(entry);
    const git_tree_entry* before = old_tree ? git_tree_entry_byname(old_tree, name) : nullptr;
    if (before && git_oid_equal(git_tree_entry_id(before), git_tree_entry_id(entry)) &&
        git_tree_entry_filemode(before) == git_tree_entry_filemode(entry))
      continue;
    if (git_tree_entry_type(entry) != GIT_OBJECT_TREE) {
      out.push_back(prefix + name);
      continue;
    }
    git::TreePtr old_sub = before && git_tree_entry_type(before) == GIT_OBJECT_TREE ? subtree(repo, before) : nullptr;
    collect_changes(repo, old_sub.get(), subtree(repo, entry).get(), prefix + name + "/", out);
  }
}

}  // namespace

std::vector<std::string> changed_paths(git_repository* repo, git_tree* old_tree, git_tree* new_tree) {
  std::vector<std::string> paths;
  collect_changes(repo, old_tree, new_tree, "", paths);
  std::sort(paths.begin(), paths.end());
  return paths;
}

}  // namespace pushgate
