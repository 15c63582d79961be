#include "deployers/release_tree.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <vector>

#include "core/git/git.hpp"
#include "core/util/unique_fd.hpp"
#include "core/util/write_all.hpp"
#include "deployers/blob_content.hpp"

namespace pushgate {

namespace fs = std::filesystem;

namespace {

Error io_error(const std::string& path, std::string_view what) {
  return {ErrorCode::io, fmt::format("cannot {} '{}': {}", what, path, std::strerror(errno))};
}

// Writes checked entries below the open folder of the release: each entry's
// folder is open already, as its folders come before it.
class TreeWriter {
 public:
  TreeWriter(git_repository* repo, git_odb* odb, UniqueFd root) : m_repo(repo), m_odb(odb) {
    m_folders.emplace_back("", std::move(root));
  }

  std::optional<Error> write(const ReleaseEntry& entry) {
    std::size_t slash = entry.path.rfind('/');
    std::string parent = slash == std::string::npos ? "" : entry.path.substr(0, slash);
    std::string name = entry.path.substr(slash == std::string::npos ? 0 : slash + 1);
    // Pre-order: the parent is the newest open folder that is not done yet.
    while (m_folders.back().first != parent) m_folders.pop_back();
    int dir = m_folders.back().second.get();
    switch (entry.mode) {
      case 040000: return write_folder(entry, dir, name);
      case 0120000:
        if (::symlinkat(entry.target.c_str(), dir, name.c_str()) != 0) return io_error(entry.path, "create symlink");
        return std::nullopt;
      default: return write_file(entry, dir, name);
    }
  }

 private:
  std::optional<Error> write_folder(const ReleaseEntry& entry, int dir, const std::string& name) {
    if (::mkdirat(dir, name.c_str(), 0777) != 0) return io_error(entry.path, "create folder");
    UniqueFd sub(::openat(dir, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!sub) return io_error(entry.path, "open folder");
    m_folders.emplace_back(entry.path, std::move(sub));
    return std::nullopt;
  }

  std::optional<Error> write_file(const ReleaseEntry& entry, int dir, const std::string& name) {
    mode_t mode = entry.mode == 0100755 ? 0777 : 0666;
    UniqueFd fd(::openat(dir, name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode));
    if (!fd) return io_error(entry.path, "create");
    return copy_blob(m_repo, m_odb, entry.id, entry.size, entry.path, [&](std::string_view bytes) -> std::optional<Error> {
      if (!write_all(fd.get(), bytes)) return io_error(entry.path, "write");
      return std::nullopt;
    });
  }

  git_repository* m_repo;
  git_odb* m_odb;
  std::vector<std::pair<std::string, UniqueFd>> m_folders;  // open folders from the root down: path, fd
};

}  // namespace

Expected<TreeCopy> materialize_tree(git_repository* repo, const std::string& commit, const std::string& path,
                                    const fs::path& dest, const ReleaseLimits& limits) {
  auto release = scan_release(repo, commit, path, limits);
  if (!release) return release.error();
  git_odb* odb = nullptr;
  if (git_repository_odb(&odb, repo) < 0) return git::git_failure("cannot open the object database");
  git::OdbPtr odb_owner(odb);
  if (::mkdir(dest.c_str(), 0777) != 0) return io_error(dest.string(), "create release folder");
  auto fail = [&](Error e) -> Expected<TreeCopy> {
    std::error_code ec;
    fs::remove_all(dest, ec);
    return e;
  };
  UniqueFd root(::open(dest.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!root) return fail(io_error(dest.string(), "open folder"));
  TreeWriter writer(repo, odb, std::move(root));
  for (const auto& entry : release->entries())
    if (auto e = writer.write(entry)) return fail(*e);
  return release->totals;
}

}  // namespace pushgate
