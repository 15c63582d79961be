#include "deployers/ssh/release_manifest.hpp"

#include <fmt/format.h>

#include <map>
#include <set>

#include "core/git/git.hpp"
#include "deployers/release_tree.hpp"

namespace pushgate::ssh {

namespace {

constexpr unsigned k_tree_mode = 040000;

// Whether any folder above `path` is in `paths`.
bool under_any(const std::string& path, const std::set<std::string>& paths) {
  for (std::size_t slash = path.find('/'); slash != std::string::npos; slash = path.find('/', slash + 1))
    if (paths.contains(path.substr(0, slash))) return true;
  return false;
}

bool safe_relative_path(std::string_view path) {
  if (path.empty() || path.front() == '/') return false;
  std::size_t begin = 0;
  while (begin <= path.size()) {
    std::size_t end = std::min(path.find('/', begin), path.size());
    std::string_view part = path.substr(begin, end - begin);
    if (part.empty() || part == "." || part == "..") return false;
    begin = end + 1;
  }
  return true;
}

int collect(const char* root, const git_tree_entry* entry, void* payload) {
  auto* out = static_cast<Manifest*>(payload);
  out->push_back({static_cast<unsigned>(git_tree_entry_filemode(entry)), git::to_hex(*git_tree_entry_id(entry)),
                  std::string(root) + git_tree_entry_name(entry)});
  return 0;
}

}  // namespace

Expected<Manifest> manifest_of(git_repository* repo, const std::string& commit, const std::string& path) {
  auto tree = release_subtree(repo, commit, path);
  if (!tree) return tree.error();
  Manifest out;
  if (git_tree_walk(tree->get(), GIT_TREEWALK_PRE, collect, &out) < 0)
    return git::git_failure(fmt::format("cannot list the tree of {}", commit.substr(0, 12)));
  return out;
}

std::string serialize(const Manifest& manifest) {
  std::string out;
  for (const auto& e : manifest) {
    out += fmt::format("{:06o} {} {}", e.mode, e.id, e.path);
    out.push_back('\0');
  }
  return out;
}

Expected<Manifest> parse_manifest(std::string_view text) {
  Manifest out;
  std::size_t begin = 0;
  while (begin < text.size()) {
    std::size_t end = text.find('\0', begin);
    if (end == std::string_view::npos) return Error{ErrorCode::input, "manifest: the last entry is cut off"};
    std::string_view line = text.substr(begin, end - begin);
    begin = end + 1;
    std::size_t space1 = line.find(' ');
    std::size_t space2 = space1 == std::string_view::npos ? space1 : line.find(' ', space1 + 1);
    if (space2 == std::string_view::npos) return Error{ErrorCode::input, "manifest: an entry is not MODE ID PATH"};
    ManifestEntry e;
    std::string mode(line.substr(0, space1));
    if (mode != "040000" && mode != "100644" && mode != "100755" && mode != "120000")
      return Error{ErrorCode::input, fmt::format("manifest: unknown mode '{}'", mode)};
    e.mode = static_cast<unsigned>(std::stoul(mode, nullptr, 8));
    e.id = line.substr(space1 + 1, space2 - space1 - 1);
    e.path = line.substr(space2 + 1);
    if (!safe_relative_path(e.path))
      return Error{ErrorCode::input, fmt::format("manifest: unsafe path '{}'", e.path)};
    out.push_back(std::move(e));
  }
  return out;
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
