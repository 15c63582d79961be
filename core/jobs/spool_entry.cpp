#include "core/jobs/spool_entry.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "core/util/read_full.hpp"
#include "core/util/unique_fd.hpp"

namespace pushgate {

namespace fs = std::filesystem;

namespace {

const char* kind_of(mode_t mode) {
  switch (mode & S_IFMT) {
    case S_IFDIR: return "a folder";
    case S_IFIFO: return "a FIFO";
    case S_IFSOCK: return "a socket";
    case S_IFLNK: return "a symbolic link";
    case S_IFCHR: return "a character device";
    case S_IFBLK: return "a block device";
    default: return "not a regular file";
  }
}

SpoolEntry not_a_job(std::string why) { return {SpoolEntry::State::not_a_job, {}, 0, std::move(why)}; }

SpoolEntry unreadable(const fs::path& path) {
  return {SpoolEntry::State::unreadable, {}, 0,
          fmt::format("cannot read '{}': {}", path.string(), std::strerror(errno))};
}

}  // namespace

SpoolEntry read_spool_entry(const fs::path& path, std::size_t cap) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY));
  if (!fd) {
    if (errno == ENOENT) return {};
    if (errno == ELOOP) return not_a_job("it is a symbolic link");
    if (errno == ENXIO) return not_a_job("it is a socket");
    return unreadable(path);
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) < 0) return unreadable(path);
  if (!S_ISREG(st.st_mode)) return not_a_job(fmt::format("it is {}, not a regular file", kind_of(st.st_mode)));
  if (static_cast<std::uint64_t>(st.st_size) > cap)
    return not_a_job(fmt::format("it holds {} bytes; a job file holds at most {}", st.st_size, cap));
  SpoolEntry entry{SpoolEntry::State::read, {}, st.st_uid, {}};
  // One byte more than the cap tells a file that grew since fstat.
  entry.text.resize(cap + 1);
  ssize_t n = read_full(fd.get(), entry.text.data(), entry.text.size());
  if (n < 0) return unreadable(path);
  auto got = static_cast<std::size_t>(n);
  if (got > cap) return not_a_job(fmt::format("it holds more than {} bytes, the most a job file holds", cap));
  entry.text.resize(got);
  return entry;
}

fs::path move_aside(const fs::path& path, const fs::path& bad_dir) {
  std::string name = path.filename().string();
  for (int n = 0; n < 100; ++n) {
    fs::path target = bad_dir / (n == 0 ? name : fmt::format("{}.{}", name, n));
    if (::renameat2(AT_FDCWD, path.c_str(), AT_FDCWD, target.c_str(), RENAME_NOREPLACE) == 0) return target;
    if (errno != EEXIST) return {};
  }
  return {};
}

UniqueFd open_job_log(const fs::path& path) {
  constexpr int k_flags = O_WRONLY | O_APPEND | O_CREAT | O_NONBLOCK | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC;
  for (int attempt = 0; attempt < 2; ++attempt) {
    UniqueFd fd(::open(path.c_str(), k_flags, 0640));
    struct stat st {};
    if (fd && ::fstat(fd.get(), &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == ::geteuid()) return fd;
    if (!fd && errno != ELOOP && errno != ENXIO && errno != EISDIR) return fd;
    fs::path bad = path.parent_path().parent_path() / "bad";
    fs::path target = move_aside(path, bad);
    std::fprintf(stderr, "pushgate: warning: %s was there before its job started (a FIFO, a link or a file of "
                         "another account); moved it to %s\n",
                 path.c_str(), target.empty() ? bad.c_str() : target.c_str());
    if (target.empty()) break;
  }
  errno = EEXIST;
  return UniqueFd();
}

UniqueFd open_job_log_for_reading(const fs::path& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC));
  struct stat st {};
  if (fd && (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode))) return UniqueFd();
  return fd;
}

}  // namespace pushgate
