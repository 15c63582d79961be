#include "deployers/release_scan.hpp"

#include <fmt/format.h>

#include <cctype>
#include <deque>
#include <filesystem>
#include <memory>
#include <optional>

namespace pushgate {

namespace fs = std::filesystem;

namespace {

Error refused(const std::string& path, std::string_view why) {
  return {ErrorCode::input, fmt::format("refusing to deploy '{}': {}", path, why)};
}

// A name git would never write itself, but a crafted tree object can hold.
bool safe_name(std::string_view name) {
  return !name.empty() && name != "." && name != ".." && name.find('/') == std::string_view::npos;
}

// `.git`, `.GIT`, ...: what git takes for a repository's folder.
bool is_dot_git(std::string_view name) {
  return name.size() == 4 && name[0] == '.' && std::tolower(static_cast<unsigned char>(name[1])) == 'g' &&
         std::tolower(static_cast<unsigned char>(name[2])) == 'i' &&
         std::tolower(static_cast<unsigned char>(name[3])) == 't';
}

// "1.0 GiB (1073741824 bytes)" for messages.
std::string describe_size(std::uint64_t bytes) {
  return fmt::format("{:.1f} MiB ({} bytes)", static_cast<double>(bytes) / (1 << 20), bytes);
}

// The longest symlink target read: the kernel's PATH_MAX.
constexpr std::uint64_t k_max_link_target = 4096;
// Symlinks followed while resolving one path: the kernel's MAXSYMLINKS.
constexpr int k_max_hops = 40;

// Whether `target`, read from the folder `parent` (relative to the release),
// stays inside the release by its text alone.
bool lexically_inside(const std::string& parent, std::string_view target) {
  fs::path resolved = (fs::path(parent) / fs::path(target)).lexically_normal();
  return resolved.empty() || *resolved.begin() != "..";
}

// The parts of a '/'-separated path, empty ones included.
void push_parts(std::deque<std::string>& out, std::string_view path) {
  std::deque<std::string> parts;
  std::size_t begin = 0;
  for (std::size_t slash; (slash = path.find('/', begin)) != std::string_view::npos; begin = slash + 1)
    parts.emplace_back(path.substr(begin, slash - begin));
  parts.emplace_back(path.substr(begin));
  out.insert(out.begin(), parts.begin(), parts.end());
}

enum class Resolved { inside, outside, loop };

// Resolves `path` in the release as the kernel would in the written folder
// (and std::filesystem::weakly_canonical after it): symlinks followed,
// '..' taken after them, a missing part and what follows it taken by their
// text. Whether the result stays inside the release.
Resolved resolve(const ReleaseContent& release, const std::string& path) {
  std::vector<std::string> real;  // the resolved folders, from the release's root
  std::deque<std::string> todo;
  push_parts(todo, path);
  int hops = 0;
  while (!todo.empty()) {
    std::string part = std::move(todo.front());
    todo.pop_front();
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (real.empty()) return Resolved::outside;
      real.pop_back();
      continue;
    }
    std::string at = real.empty() ? part : fmt::format("{}/{}", fmt::join(real, "/"), part);
    const ReleaseEntry* entry = release.find(at);
    if (entry && entry->mode == 0120000) {
      if (++hops > k_max_hops) return Resolved::loop;
      push_parts(todo, entry->target);  // relative to the folder holding the link: `real`
      continue;
    }
    real.push_back(std::move(part));
  }
  return Resolved::inside;
}

class ReleaseScanner {
 public:
  ReleaseScanner(git_repository* repo, git_odb* odb, const ReleaseLimits& limits)
      : m_repo(repo), m_odb(odb), m_limits(limits) {}

  // Reads `tree`, whose path in the release is `prefix`.
  std::optional<Error> scan_tree(const git_tree* tree, const std::string& prefix) {
    for (std::size_t i = 0; i < git_tree_entrycount(tree); ++i) {
      const git_tree_entry* entry = git_tree_entry_byindex(tree, i);
      std::string name = git_tree_entry_name(entry);
      std::string path = prefix.empty() ? name : prefix + "/" + name;
      if (!safe_name(name))
        return refused(path, "the tree holds a name that is empty, '.', '..' or contains '/'");
      if (is_dot_git(name))
        return refused(path, "git would take it for a repository folder (its config can run programs); "
                             "remove it from the pushed tree");
      if (auto e = scan_entry(entry, path)) return e;
    }
    return std::nullopt;
  }

  // Every symlink resolved through the others: a chain of links, each
  // harmless alone, can still lead out (`a/l -> ..` and `m -> a/l/..`).
  std::optional<Error> check_links() const {
    for (const auto& entry : m_content.entries()) {
      if (entry.mode != 0120000) continue;
      switch (resolve(m_content, entry.path)) {
        case Resolved::inside: break;
        case Resolved::outside:
          return refused(entry.path, fmt::format("symlink to '{}' leads outside the release folder", entry.target));
        case Resolved::loop:
          return refused(entry.path, fmt::format("symlink to '{}' cannot be resolved (more than {} symlinks on the "
                                                 "way: a loop)",
                                                 entry.target, k_max_hops));
      }
    }
    return std::nullopt;
  }

  ReleaseContent take() { return std::move(m_content); }

 private:
  std::optional<Error> scan_entry(const git_tree_entry* entry, const std::string& path) {
    ReleaseEntry out{path, static_cast<unsigned>(git_tree_entry_filemode(entry)), *git_tree_entry_id(entry), 0, ""};
    switch (git_tree_entry_filemode(entry)) {
      case GIT_FILEMODE_TREE: return scan_folder(std::move(out));
      case GIT_FILEMODE_BLOB:
      case GIT_FILEMODE_BLOB_EXECUTABLE: return scan_file(std::move(out));
      case GIT_FILEMODE_LINK: return scan_link(std::move(out));
      case GIT_FILEMODE_COMMIT:
        return refused(path, fmt::format("it is a submodule (commit {}); a release holds only files of this "
                                         "repository",
                                         git::to_hex(out.id).substr(0, 12)));
      default: return refused(path, fmt::format("unknown file mode {:o}", git_tree_entry_filemode(entry)));
    }
  }

  std::optional<Error> add(ReleaseEntry entry) {
    std::string path = entry.path;
    if (!m_content.add(std::move(entry))) return refused(path, "the tree holds this name twice");
    return std::nullopt;
  }

  std::optional<Error> scan_folder(ReleaseEntry entry) {
    git_tree* raw = nullptr;
    if (git_tree_lookup(&raw, m_repo, &entry.id) < 0)
      return git::git_failure(fmt::format("cannot read folder '{}'", entry.path));
    git::TreePtr tree(raw);
    std::string path = entry.path;
    if (auto e = add(std::move(entry))) return e;
    ++m_content.totals.folders;
    return scan_tree(tree.get(), path);
  }

  // The size of blob `id`, read from the object's header only.
  std::optional<Error> blob_size(const git_oid& id, const std::string& path, std::uint64_t& size) {
    std::size_t len = 0;
    git_object_t type = GIT_OBJECT_INVALID;
    if (git_odb_read_header(&len, &type, m_odb, &id) < 0)
      return git::git_failure(fmt::format("cannot read '{}'", path));
    if (type != GIT_OBJECT_BLOB)
      return refused(path, fmt::format("its object is a {}, not a blob", git_object_type2string(type)));
    size = len;
    return std::nullopt;
  }

  std::optional<Error> scan_file(ReleaseEntry entry) {
    const std::string& path = entry.path;
    if (auto e = blob_size(entry.id, path, entry.size)) return e;
    std::uint64_t size = entry.size;
    if (size > m_limits.max_file)
      return refused(path, fmt::format("it is {}, over the cap of {} per file (deployer.max_file_size in "
                                       "pushgate.yaml)",
                                       describe_size(size), describe_size(m_limits.max_file)));
    TreeCopy& totals = m_content.totals;
    if (totals.bytes + size > m_limits.max_release)
      return refused(path, fmt::format("with it the release would hold {}, over the cap of {} (deployer."
                                       "max_release_size in pushgate.yaml)",
                                       describe_size(totals.bytes + size), describe_size(m_limits.max_release)));
    if (auto e = add(std::move(entry))) return e;
    ++totals.files;
    totals.bytes += size;
    return std::nullopt;
  }

  std::optional<Error> scan_link(ReleaseEntry entry) {
    const std::string& path = entry.path;
    std::uint64_t size = 0;
    if (auto e = blob_size(entry.id, path, size)) return e;
    if (size > k_max_link_target) return refused(path, fmt::format("symlink target of {} bytes", size));
    git_blob* raw = nullptr;
    if (git_blob_lookup(&raw, m_repo, &entry.id) < 0) return git::git_failure(fmt::format("cannot read '{}'", path));
    git::BlobPtr blob(raw);
    std::string target(static_cast<const char*>(git_blob_rawcontent(raw)), static_cast<std::size_t>(git_blob_rawsize(raw)));
    if (target.empty() || target.find('\0') != std::string::npos)
      return refused(path, "symlink with an empty or binary target");
    if (target.starts_with('/')) return refused(path, fmt::format("symlink to the absolute path '{}'", target));
    if (!lexically_inside(fs::path(path).parent_path().string(), target))
      return refused(path, fmt::format("symlink to '{}' leads outside the release folder", target));
    entry.target = std::move(target);
    if (auto e = add(std::move(entry))) return e;
    ++m_content.totals.symlinks;
    return std::nullopt;
  }

  git_repository* m_repo;
  git_odb* m_odb;
  ReleaseLimits m_limits;
  ReleaseContent m_content;
};

}  // namespace

const ReleaseEntry* ReleaseContent::find(const std::string& path) const {
  auto it = m_index.find(path);
  return it == m_index.end() ? nullptr : &m_entries[it->second];
}

bool ReleaseContent::add(ReleaseEntry entry) {
  if (!m_index.emplace(entry.path, m_entries.size()).second) return false;
  m_entries.push_back(std::move(entry));
  return true;
}

Expected<git::TreePtr> release_subtree(git_repository* repo, const std::string& commit, const std::string& path) {
  auto oid = git::parse_oid(commit);
  if (!oid) return oid.error();
  auto root = git::tree_of_commit(repo, *oid);
  if (!root || path.empty()) return root;
  git_tree_entry* raw = nullptr;
  if (git_tree_entry_bypath(&raw, root->get(), path.c_str()) < 0)
    return Error{ErrorCode::input, fmt::format("commit {} has no folder '{}'", commit.substr(0, 12), path)};
  std::unique_ptr<git_tree_entry, git::Deleter<git_tree_entry, git_tree_entry_free>> entry(raw);
  if (git_tree_entry_type(entry.get()) != GIT_OBJECT_TREE)
    return Error{ErrorCode::input, fmt::format("'{}' in commit {} is not a folder", path, commit.substr(0, 12))};
  git_tree* tree = nullptr;
  if (git_tree_lookup(&tree, repo, git_tree_entry_id(entry.get())) < 0)
    return git::git_failure(fmt::format("cannot read folder '{}' of commit {}", path, commit.substr(0, 12)));
  return git::TreePtr(tree);
}

Expected<ReleaseContent> scan_release(git_repository* repo, const std::string& commit, const std::string& path,
                                      const ReleaseLimits& limits) {
  auto tree = release_subtree(repo, commit, path);
  if (!tree) return tree.error();
  git_odb* odb = nullptr;
  if (git_repository_odb(&odb, repo) < 0) return git::git_failure("cannot open the object database");
  git::OdbPtr odb_owner(odb);
  ReleaseScanner scanner(repo, odb, limits);
  if (auto e = scanner.scan_tree(tree->get(), "")) return *e;
  if (auto e = scanner.check_links()) return *e;
  ReleaseContent content = scanner.take();
  content.tree = git::to_hex(*git_tree_id(tree->get()));
  return content;
}

}  // namespace pushgate
