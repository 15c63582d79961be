#include "validators/secrets/commit_changes.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "core/git/tree_changes.hpp"

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

// The blob ids of a regular file that differs between two trees: before
// (zero when it was no regular file, or none) and after.
struct BlobChange {
  git_oid before{};
  git_oid after{};
};

// The regular files of `tree` that differ from `parent` (null: all), by path.
// Throws Failure when a folder cannot be read.
std::map<std::string, BlobChange> diff_against(git_repository* repo, const git_tree* parent, const git_tree* tree) {
  std::map<std::string, BlobChange> out;
  std::vector<git_oid> deleted;
  // Files of a gone folder one by one: any of them may have moved.
  git::for_each_tree_change(repo, parent, tree, git::GoneFolders::by_file, [&](const git::TreeChange& c) {
    bool was_regular = c.before && is_regular(git_tree_entry_filemode(c.before));
    if (!c.after || !is_regular(git_tree_entry_filemode(c.after))) {
      if (was_regular) deleted.push_back(*git_tree_entry_id(c.before));
      return;
    }
    out.emplace(c.path, BlobChange{was_regular ? *git_tree_entry_id(c.before) : git_oid{}, *git_tree_entry_id(c.after)});
  });
  // A file moved without a change adds nothing: it counts as unchanged.
  for (auto& [path, blobs] : out) {
    auto same = [&](const git_oid& id) { return git_oid_equal(&id, &blobs.after); };
    if (git_oid_is_zero(&blobs.before) && std::any_of(deleted.begin(), deleted.end(), same)) blobs.before = blobs.after;
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
  std::map<std::string, BlobChange> first;
  try {
    first = diff_against(repo, parent_trees[0].get(), tree->get());
  } catch (const Failure& e) {
    return Error{ErrorCode::git, fmt::format("commit {}: {}", name, e.what())};
  }
  git_odb* odb_raw = nullptr;
  if (git_repository_odb(&odb_raw, repo) < 0) return git::git_failure("cannot open the object database");
  git::OdbPtr odb(odb_raw);
  std::vector<ChangedFile> out;
  for (const auto& [path, blobs] : first) {
    // A tree diff leaves sizes unset; the object header has it, unread.
    std::size_t size = 0;
    git_object_t type;
    if (git_odb_read_header(&size, &type, odb_raw, &blobs.after) < 0)
      return git::git_failure(fmt::format("commit {}: cannot read '{}'", name, path));
    ChangedFile f{path, blobs.after, size, true, {}};
    std::vector<git_oid> bases{blobs.before};
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
