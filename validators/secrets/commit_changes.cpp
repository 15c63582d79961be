#include "validators/secrets/commit_changes.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace pushgate::secrets {

namespace {

using PatchPtr = std::unique_ptr<git_patch, git::Deleter<git_patch, git_patch_free>>;

bool is_regular(std::uint16_t mode) { return mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE; }

// The lines of `after` that are not in `before`: hunks without context,
// whose new side is exactly the added lines. Never from .gitattributes (no
// paths are given): a pushed attribute must not hide a file as binary.
Expected<LineRanges> added_lines(git_repository* repo, const git_oid& before, const git_oid& after) {
  git_blob* old_raw = nullptr;
  git_blob* new_raw = nullptr;
  if (git_blob_lookup(&old_raw, repo, &before) < 0) return git::git_failure("cannot read a blob");
  git::BlobPtr old_blob(old_raw);
  if (git_blob_lookup(&new_raw, repo, &after) < 0) return git::git_failure("cannot read a blob");
  git::BlobPtr new_blob(new_raw);
  git_diff_options options = GIT_DIFF_OPTIONS_INIT;
  options.context_lines = 0;
  options.flags = GIT_DIFF_FORCE_TEXT;
  git_patch* raw = nullptr;
  if (git_patch_from_blobs(&raw, old_raw, nullptr, new_raw, nullptr, &options) < 0)
    return git::git_failure("cannot diff a file");
  PatchPtr patch(raw);
  LineRanges out;
  for (std::size_t h = 0; h < git_patch_num_hunks(raw); ++h) {
    const git_diff_hunk* hunk = nullptr;
    if (git_patch_get_hunk(&hunk, nullptr, raw, h) < 0) return git::git_failure("cannot diff a file");
    if (hunk->new_lines > 0) out.emplace_back(hunk->new_start, hunk->new_start + hunk->new_lines - 1);
  }
  return out;
}

// The regular files of `tree` that differ from `parent` (null: all), with
// the blob each had in `parent` (zero when it had none, or no regular file).
Expected<std::map<std::string, std::pair<git_diff_file, git_diff_file>>> diff_against(git_repository* repo,
                                                                                      git_tree* parent, git_tree* tree) {
  git_diff_options options = GIT_DIFF_OPTIONS_INIT;
  options.flags = GIT_DIFF_SKIP_BINARY_CHECK;
  git_diff* raw = nullptr;
  if (git_diff_tree_to_tree(&raw, repo, parent, tree, &options) < 0) return git::git_failure("cannot diff");
  git::DiffPtr diff(raw);
  std::map<std::string, std::pair<git_diff_file, git_diff_file>> out;
  std::vector<git_oid> deleted;
  for (std::size_t i = 0; i < git_diff_num_deltas(raw); ++i) {
    const git_diff_delta* d = git_diff_get_delta(raw, i);
    if (d->status == GIT_DELTA_DELETED || !is_regular(d->new_file.mode)) {
      if (is_regular(d->old_file.mode)) deleted.push_back(d->old_file.id);
      continue;
    }
    git_diff_file old_file = d->old_file;
    if (d->status == GIT_DELTA_ADDED || !is_regular(old_file.mode)) old_file.id = git_oid{};
    out.emplace(d->new_file.path, std::pair{old_file, d->new_file});
  }
  // A file moved without a change adds nothing: it counts as unchanged.
  for (auto& [path, files] : out) {
    auto same = [&](const git_oid& id) { return git_oid_equal(&id, &files.second.id); };
    if (git_oid_is_zero(&files.first.id) && std::any_of(deleted.begin(), deleted.end(), same))
      files.first.id = files.second.id;
  }
  return out;
}

}  // namespace

Expected<std::vector<ChangedFile>> changed_files(git_repository* repo, const git_oid& commit_id, std::uint64_t max_size) {
  std::string name = git::to_hex(commit_id);
  git_commit* raw = nullptr;
  if (git_commit_lookup(&raw, repo, &commit_id) < 0) return git::git_failure(fmt::format("cannot read commit {}", name));
  git::CommitPtr commit(raw);
  auto tree = git::tree_of_commit(repo, commit_id);
  if (!tree) return tree.error();

  unsigned parents = git_commit_parentcount(raw);
  std::vector<git::TreePtr> parent_trees;
  for (unsigned i = 0; i < std::max(parents, 1u); ++i) {
    if (parents == 0) {
      parent_trees.emplace_back();
      break;
    }
    auto t = git::tree_of_commit(repo, *git_commit_parent_id(raw, i));
    if (!t) return t.error();
    parent_trees.push_back(std::move(t).value());
  }

  // Against the first parent, then narrowed by every other one.
  auto first = diff_against(repo, parent_trees[0].get(), tree->get());
  if (!first) return Error{ErrorCode::git, fmt::format("commit {}: {}", name, first.error().message)};
  git_odb* odb_raw = nullptr;
  if (git_repository_odb(&odb_raw, repo) < 0) return git::git_failure("cannot open the object database");
  git::OdbPtr odb(odb_raw);
  std::vector<ChangedFile> out;
  for (const auto& [path, files] : *first) {
    // A tree diff leaves sizes unset; the object header has it, unread.
    std::size_t size = 0;
    git_object_t type;
    if (git_odb_read_header(&size, &type, odb_raw, &files.second.id) < 0)
      return git::git_failure(fmt::format("commit {}: cannot read '{}'", name, path));
    ChangedFile f{path, files.second.id, size, true, {}};
    std::vector<git_oid> bases{files.first.id};
    for (std::size_t p = 1; p < parent_trees.size(); ++p) {
      git_tree_entry* entry = nullptr;
      if (git_tree_entry_bypath(&entry, parent_trees[p].get(), path.c_str()) < 0) continue;  // new against it too
      std::unique_ptr<git_tree_entry, decltype(&git_tree_entry_free)> owner(entry, git_tree_entry_free);
      if (is_regular(git_tree_entry_filemode(entry))) bases.push_back(*git_tree_entry_id(entry));
    }
    bool skip = false;
    for (const git_oid& base : bases) {
      if (git_oid_is_zero(&base)) continue;
      if (git_oid_equal(&base, &f.blob)) {  // unchanged against this parent
        skip = true;
        break;
      }
      if (f.size > max_size) continue;  // listed whole: too large to diff
      auto lines = added_lines(repo, base, f.blob);
      if (!lines) return Error{ErrorCode::git, fmt::format("commit {}: '{}': {}", name, path, lines.error().message)};
      f.added = f.whole ? std::move(*lines) : intersect(f.added, *lines);
      f.whole = false;
    }
    if (!skip && (f.whole || !f.added.empty())) out.push_back(std::move(f));
  }
  return out;
}

}  // namespace pushgate::secrets
