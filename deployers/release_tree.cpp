#include "deployers/release_tree.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <string_view>
#include <vector>

#include "core/git.hpp"
#include "core/unique_fd.hpp"
#include "core/write_all.hpp"

namespace pushgate {

namespace fs = std::filesystem;

namespace {

Error refused(const std::string& path, std::string_view why) {
  return {ErrorCode::input, fmt::format("refusing to deploy '{}': {}", path, why)};
}

Error io_error(const std::string& path, std::string_view what) {
  return {ErrorCode::io, fmt::format("cannot {} '{}': {}", what, path, std::strerror(errno))};
}

// A name git would never write itself, but a crafted tree object can hold.
bool safe_name(std::string_view name) {
  return !name.empty() && name != "." && name != ".." && name.find('/') == std::string_view::npos;
}

// Whether `target`, read from the folder `parent` (relative to the release),
// stays inside the release by its text alone.
bool lexically_inside(const std::string& parent, std::string_view target) {
  fs::path resolved = (fs::path(parent) / fs::path(target)).lexically_normal();
  return resolved.empty() || *resolved.begin() != "..";
}

class TreeWriter {
 public:
  explicit TreeWriter(git_repository* repo) : m_repo(repo) {}

  // Writes `tree` into the open folder `dir`; `prefix` is its path in the release.
  std::optional<Error> write_tree(const git_tree* tree, int dir, const std::string& prefix) {
    for (std::size_t i = 0; i < git_tree_entrycount(tree); ++i) {
      const git_tree_entry* entry = git_tree_entry_byindex(tree, i);
      std::string name = git_tree_entry_name(entry);
      std::string path = prefix.empty() ? name : prefix + "/" + name;
      if (!safe_name(name))
        return refused(path, "the tree holds a name that is empty, '.', '..' or contains '/'");
      if (auto e = write_entry(entry, dir, name, path)) return e;
    }
    return std::nullopt;
  }

  // Every symlink, resolved on the written folder: a chain of links, each
  // harmless alone, can still lead out (`a/l -> ..` and `m -> a/l/..`).
  std::optional<Error> check_links(const fs::path& root) const {
    std::error_code ec;
    fs::path real_root = fs::canonical(root, ec);
    if (ec) return Error{ErrorCode::io, fmt::format("cannot resolve '{}': {}", root.string(), ec.message())};
    for (const auto& [path, target] : m_links) {
      fs::path resolved = fs::weakly_canonical(root / path, ec);
      if (ec) return refused(path, fmt::format("symlink to '{}' cannot be resolved ({})", target, ec.message()));
      auto rel = resolved.lexically_relative(real_root);
      if (rel.empty() || *rel.begin() == "..")
        return refused(path, fmt::format("symlink to '{}' leads outside the release folder", target));
    }
    return std::nullopt;
  }

  const TreeCopy& copy() const { return m_copy; }

 private:
  std::optional<Error> write_entry(const git_tree_entry* entry, int dir, const std::string& name,
                                   const std::string& path) {
    switch (git_tree_entry_filemode(entry)) {
      case GIT_FILEMODE_TREE: return write_folder(entry, dir, name, path);
      case GIT_FILEMODE_BLOB: return write_file(entry, dir, name, path, 0666);
      case GIT_FILEMODE_BLOB_EXECUTABLE: return write_file(entry, dir, name, path, 0777);
      case GIT_FILEMODE_LINK: return write_link(entry, dir, name, path);
      case GIT_FILEMODE_COMMIT:
        return refused(path, fmt::format("it is a submodule (commit {}); a release holds only files of this "
                                         "repository",
                                         git::to_hex(*git_tree_entry_id(entry)).substr(0, 12)));
      default: return refused(path, fmt::format("unknown file mode {:o}", git_tree_entry_filemode(entry)));
    }
  }

  std::optional<Error> write_folder(const git_tree_entry* entry, int dir, const std::string& name,
                                    const std::string& path) {
    if (::mkdirat(dir, name.c_str(), 0777) != 0) {
      if (errno == EEXIST) return refused(path, "the tree holds this name twice");
      return io_error(path, "create folder");
    }
    UniqueFd sub(::openat(dir, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!sub) return io_error(path, "open folder");
    git_tree* raw = nullptr;
    if (git_tree_lookup(&raw, m_repo, git_tree_entry_id(entry)) < 0)
      return git::git_failure(fmt::format("cannot read folder '{}'", path));
    git::TreePtr tree(raw);
    ++m_copy.folders;
    return write_tree(tree.get(), sub.get(), path);
  }

  std::optional<Error> read_blob(const git_tree_entry* entry, const std::string& path, git::BlobPtr& out) {
    git_blob* raw = nullptr;
    if (git_blob_lookup(&raw, m_repo, git_tree_entry_id(entry)) < 0)
      return git::git_failure(fmt::format("cannot read '{}'", path));
    out.reset(raw);
    return std::nullopt;
  }

  std::optional<Error> write_file(const git_tree_entry* entry, int dir, const std::string& name,
                                  const std::string& path, mode_t mode) {
    git::BlobPtr blob;
    if (auto e = read_blob(entry, path, blob)) return e;
    UniqueFd fd(::openat(dir, name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode));
    if (!fd) {
      if (errno == EEXIST) return refused(path, "the tree holds this name twice");
      return io_error(path, "create");
    }
    auto size = static_cast<std::size_t>(git_blob_rawsize(blob.get()));
    if (!write_all(fd.get(), {static_cast<const char*>(git_blob_rawcontent(blob.get())), size}))
      return io_error(path, "write");
    ++m_copy.files;
    m_copy.bytes += size;
    return std::nullopt;
  }

  std::optional<Error> write_link(const git_tree_entry* entry, int dir, const std::string& name,
                                  const std::string& path) {
    git::BlobPtr blob;
    if (auto e = read_blob(entry, path, blob)) return e;
    std::string target(static_cast<const char*>(git_blob_rawcontent(blob.get())),
                       static_cast<std::size_t>(git_blob_rawsize(blob.get())));
    if (target.empty() || target.find('\0') != std::string::npos)
      return refused(path, "symlink with an empty or binary target");
    if (target.starts_with('/')) return refused(path, fmt::format("symlink to the absolute path '{}'", target));
    std::string parent = fs::path(path).parent_path().string();
    if (!lexically_inside(parent, target))
      return refused(path, fmt::format("symlink to '{}' leads outside the release folder", target));
    if (::symlinkat(target.c_str(), dir, name.c_str()) != 0) {
      if (errno == EEXIST) return refused(path, "the tree holds this name twice");
      return io_error(path, "create symlink");
    }
    m_links.emplace_back(path, std::move(target));
    ++m_copy.symlinks;
    return std::nullopt;
  }

  git_repository* m_repo;
  TreeCopy m_copy;
  std::vector<std::pair<std::string, std::string>> m_links;  // path in the release, target
};

Expected<git::TreePtr> subtree(git_repository* repo, const std::string& commit, const std::string& path) {
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

std::optional<Error> write_into(TreeWriter& writer, const git_tree* tree, const fs::path& dest) {
  UniqueFd dir(::open(dest.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!dir) return io_error(dest.string(), "open folder");
  if (auto e = writer.write_tree(tree, dir.get(), "")) return e;
  return writer.check_links(dest);
}

}  // namespace

Expected<TreeCopy> materialize_tree(git_repository* repo, const std::string& commit, const std::string& path,
                                    const fs::path& dest) {
  auto tree = subtree(repo, commit, path);
  if (!tree) return tree.error();
  if (::mkdir(dest.c_str(), 0777) != 0) return io_error(dest.string(), "create release folder");
  TreeWriter writer(repo);
  if (auto e = write_into(writer, tree->get(), dest)) {
    std::error_code ec;
    fs::remove_all(dest, ec);
    return *e;
  }
  return writer.copy();
}

}  // namespace pushgate
