#include "deployers/release_tree.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cctype>
#include <cerrno>
#include <memory>
#include <cstring>
#include <string_view>
#include <vector>

#include "core/git/git.hpp"
#include "core/util/unique_fd.hpp"
#include "core/util/write_all.hpp"

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

// Whether `target`, read from the folder `parent` (relative to the release),
// stays inside the release by its text alone.
bool lexically_inside(const std::string& parent, std::string_view target) {
  fs::path resolved = (fs::path(parent) / fs::path(target)).lexically_normal();
  return resolved.empty() || *resolved.begin() != "..";
}

class TreeWriter {
 public:
  TreeWriter(git_repository* repo, git_odb* odb, const ReleaseLimits& limits)
      : m_repo(repo), m_odb(odb), m_limits(limits) {}

  // Writes `tree` into the open folder `dir`; `prefix` is its path in the release.
  std::optional<Error> write_tree(const git_tree* tree, int dir, const std::string& prefix) {
    for (std::size_t i = 0; i < git_tree_entrycount(tree); ++i) {
      const git_tree_entry* entry = git_tree_entry_byindex(tree, i);
      std::string name = git_tree_entry_name(entry);
      std::string path = prefix.empty() ? name : prefix + "/" + name;
      if (!safe_name(name))
        return refused(path, "the tree holds a name that is empty, '.', '..' or contains '/'");
      if (is_dot_git(name))
        return refused(path, "git would take it for a repository folder (its config can run programs); "
                             "remove it from the pushed tree");
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

  std::optional<Error> read_blob(const git_tree_entry* entry, const std::string& path, git::BlobPtr& out) {
    git_blob* raw = nullptr;
    if (git_blob_lookup(&raw, m_repo, git_tree_entry_id(entry)) < 0)
      return git::git_failure(fmt::format("cannot read '{}'", path));
    out.reset(raw);
    return std::nullopt;
  }

  // Copies blob `id` of `size` bytes to `fd`: streamed from a loose object,
  // read whole (at most the file cap) from a pack, which libgit2 cannot stream.
  std::optional<Error> copy_blob(const git_oid& id, std::uint64_t size, int fd, const std::string& path) {
    git_odb_stream* stream = nullptr;
    std::size_t len = 0;
    git_object_t type = GIT_OBJECT_INVALID;
    if (git_odb_open_rstream(&stream, &len, &type, m_odb, &id) == 0) {
      std::unique_ptr<git_odb_stream, git::Deleter<git_odb_stream, git_odb_stream_free>> owner(stream);
      std::vector<char> buffer(1 << 16);
      std::uint64_t copied = 0;
      for (;;) {
        int n = git_odb_stream_read(stream, buffer.data(), buffer.size());
        if (n < 0) return git::git_failure(fmt::format("cannot read '{}'", path));
        if (n == 0) break;
        copied += static_cast<std::uint64_t>(n);
        if (copied > size) return refused(path, "its object holds more than its header says");
        if (!write_all(fd, {buffer.data(), static_cast<std::size_t>(n)})) return io_error(path, "write");
      }
      if (copied != size) return refused(path, "its object holds less than its header says");
      return std::nullopt;
    }
    git_error_clear();
    git_blob* raw = nullptr;
    if (git_blob_lookup(&raw, m_repo, &id) < 0) return git::git_failure(fmt::format("cannot read '{}'", path));
    git::BlobPtr blob(raw);
    auto bytes = static_cast<std::size_t>(git_blob_rawsize(raw));
    if (!write_all(fd, {static_cast<const char*>(git_blob_rawcontent(raw)), bytes})) return io_error(path, "write");
    return std::nullopt;
  }

  std::optional<Error> write_file(const git_tree_entry* entry, int dir, const std::string& name,
                                  const std::string& path, mode_t mode) {
    const git_oid& id = *git_tree_entry_id(entry);
    std::uint64_t size = 0;
    if (auto e = blob_size(id, path, size)) return e;
    if (size > m_limits.max_file)
      return refused(path, fmt::format("it is {}, over the cap of {} per file (deployer.max_file_size in "
                                       "pushgate.yaml)",
                                       describe_size(size), describe_size(m_limits.max_file)));
    if (m_copy.bytes + size > m_limits.max_release)
      return refused(path, fmt::format("with it the release would hold {}, over the cap of {} (deployer."
                                       "max_release_size in pushgate.yaml)",
                                       describe_size(m_copy.bytes + size), describe_size(m_limits.max_release)));
    UniqueFd fd(::openat(dir, name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode));
    if (!fd) {
      if (errno == EEXIST) return refused(path, "the tree holds this name twice");
      return io_error(path, "create");
    }
    if (auto e = copy_blob(id, size, fd.get(), path)) return e;
    ++m_copy.files;
    m_copy.bytes += size;
    return std::nullopt;
  }

  std::optional<Error> write_link(const git_tree_entry* entry, int dir, const std::string& name,
                                  const std::string& path) {
    std::uint64_t size = 0;
    if (auto e = blob_size(*git_tree_entry_id(entry), path, size)) return e;
    if (size > k_max_link_target) return refused(path, fmt::format("symlink target of {} bytes", size));
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
  git_odb* m_odb;
  ReleaseLimits m_limits;
  TreeCopy m_copy;
  std::vector<std::pair<std::string, std::string>> m_links;  // path in the release, target
};

}  // namespace

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

namespace {

std::optional<Error> write_into(TreeWriter& writer, const git_tree* tree, const fs::path& dest) {
  UniqueFd dir(::open(dest.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!dir) return io_error(dest.string(), "open folder");
  if (auto e = writer.write_tree(tree, dir.get(), "")) return e;
  return writer.check_links(dest);
}

}  // namespace

Expected<TreeCopy> materialize_tree(git_repository* repo, const std::string& commit, const std::string& path,
                                    const fs::path& dest, const ReleaseLimits& limits) {
  auto tree = release_subtree(repo, commit, path);
  if (!tree) return tree.error();
  git_odb* odb = nullptr;
  if (git_repository_odb(&odb, repo) < 0) return git::git_failure("cannot open the object database");
  git::OdbPtr odb_owner(odb);
  if (::mkdir(dest.c_str(), 0777) != 0) return io_error(dest.string(), "create release folder");
  TreeWriter writer(repo, odb, limits);
  if (auto e = write_into(writer, tree->get(), dest)) {
    std::error_code ec;
    fs::remove_all(dest, ec);
    return *e;
  }
  return writer.copy();
}

}  // namespace pushgate
