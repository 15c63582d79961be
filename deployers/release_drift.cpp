#include "deployers/release_drift.hpp"

#include <git2.h>

#include <fmt/format.h>

#include <map>

#include "core/git/git.hpp"

namespace pushgate {

namespace {

constexpr unsigned k_tree = 040000;
constexpr unsigned k_link = 0120000;
constexpr unsigned k_executable = 0100755;

char type_of(unsigned git_mode) { return git_mode == k_tree ? 'd' : git_mode == k_link ? 'l' : 'f'; }

// Whether `now` has the type (and, for a file, the executable bit) of tree entry `t`.
bool same_kind(const SnapshotEntry& now, const ssh::ManifestEntry& t) {
  if (now.type != type_of(t.mode)) return false;
  return now.type != 'f' || ((now.mode & 0100) != 0) == (t.mode == k_executable);
}

}  // namespace

Expected<Drift> compare_release(const Snapshot* recorded, const Snapshot& now, const ssh::Manifest& tree,
                                const ContentCheck& same, const std::string& place) {
  std::map<std::string_view, const ssh::ManifestEntry*> in_tree;
  for (const auto& e : tree) in_tree[e.path] = &e;
  Drift drift;
  auto mark = [&](std::size_t Drift::*count, char sign, const std::string& path) {
    drift.note(count, fmt::format("{}{}{}", sign, place, path));
  };
  // Compares the content of `path` with the commit's object, where there is one.
  auto content_differs = [&](const std::string& path, const SnapshotEntry& e) -> Expected<bool> {
    auto t = in_tree.find(path);
    if (t == in_tree.end() || !same_kind(e, *t->second)) return true;
    auto equal = same(path, *t->second);
    if (!equal) return equal.error();
    return !*equal;
  };
  for (const auto& [path, e] : now) {
    Expected<bool> changed = false;
    if (recorded) {
      auto r = recorded->find(path);
      if (r == recorded->end()) {
        mark(&Drift::added, '+', path);
        continue;
      }
      const SnapshotEntry& was = r->second;
      // A folder's size and time change with what it holds, which is compared entry by entry.
      if (was.type != e.type || was.mode != e.mode) changed = true;
      else if (e.type != 'd' && was.size != e.size) changed = true;
      else if (e.type != 'd' && was.mtime != e.mtime) changed = content_differs(path, e);
    } else {
      auto t = in_tree.find(path);
      if (t == in_tree.end()) {
        mark(&Drift::added, '+', path);
        continue;
      }
      if (!same_kind(e, *t->second)) changed = true;
      else if (e.type != 'd') changed = content_differs(path, e);
    }
    if (!changed) return changed.error();
    if (*changed) mark(&Drift::changed, '~', path);
  }
  auto removed = [&](const std::string& path) {
    if (!now.contains(path)) mark(&Drift::removed, '-', path);
  };
  if (recorded)
    for (const auto& [path, was] : *recorded) removed(path);
  else
    for (const auto& e : tree) removed(e.path);
  return drift;
}

ContentCheck local_content_check(std::filesystem::path dir) {
  return [dir = std::move(dir)](const std::string& path, const ssh::ManifestEntry& expected) -> Expected<bool> {
    auto want = git::parse_oid(expected.id);
    if (!want) return want.error();
    std::filesystem::path file = dir / path;
    git_oid got;
    if (expected.mode == k_link) {
      std::error_code ec;
      std::string target = std::filesystem::read_symlink(file, ec).string();
      if (ec) return Error{ErrorCode::io, fmt::format("cannot read symlink '{}': {}", file.string(), ec.message())};
      if (git_odb_hash(&got, target.data(), target.size(), GIT_OBJECT_BLOB) < 0)
        return git::git_failure(fmt::format("cannot hash '{}'", file.string()));
    } else if (git_odb_hashfile(&got, file.c_str(), GIT_OBJECT_BLOB) < 0) {
      return git::git_failure(fmt::format("cannot read '{}'", file.string()));
    }
    return git_oid_equal(&got, &*want) != 0;
  };
}

}  // namespace pushgate
