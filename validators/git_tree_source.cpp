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

std::vector<std::string> changed_paths(git_repository* repo, git_tree* old_tree, git_tree* new_tree) {
  git_diff_options options = GIT_DIFF_OPTIONS_INIT;
  // Only which paths changed matters: skip content inspection entirely.
  options.flags = GIT_DIFF_SKIP_BINARY_CHECK;
  git_diff* raw = nullptr;
  git::check(git_diff_tree_to_tree(&raw, repo, old_tree, new_tree, &options),
             "cannot compare the old and new trees");
  git::DiffPtr diff(raw);
  std::vector<std::string> paths;
  for (size_t i = 0, n = git_diff_num_deltas(raw); i < n; ++i) {
    const git_diff_delta* d = git_diff_get_delta(raw, i);
    if (d->status == GIT_DELTA_DELETED) continue;
    paths.emplace_back(d->new_file.path);
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

}  // namespace pushgate
