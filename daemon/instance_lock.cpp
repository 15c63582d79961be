#include "daemon/instance_lock.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace pushgate::daemon {

Expected<InstanceLock> InstanceLock::acquire(const std::filesystem::path& file) {
  // O_CLOEXEC: a deploy command that outlives the daemon must not keep the
  // next daemon from starting.
  UniqueFd fd(::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0640));
  if (!fd)
    return Error{ErrorCode::io, fmt::format("cannot open the lock file '{}': {}", file.string(),
                                            std::strerror(errno))};
  // A POSIX record lock, not flock(): it belongs to this process and is not
  // inherited by fork(). A flock() is shared with every child forked for a
  // deploy command until that child calls exec, so after a kill -9 such a
  // child could hold it long enough to turn the restarted daemon away.
  struct flock whole{};
  whole.l_type = F_WRLCK;
  whole.l_whence = SEEK_SET;
  if (::fcntl(fd.get(), F_SETLK, &whole) < 0) {
    if (errno != EACCES && errno != EAGAIN)
      return Error{ErrorCode::io, fmt::format("cannot lock '{}': {}", file.string(), std::strerror(errno))};
    char pid[32] = {};
    ssize_t n = ::pread(fd.get(), pid, sizeof pid - 1, 0);
    std::string holder = n > 0 ? std::string(pid, static_cast<std::size_t>(n)) : std::string();
    while (!holder.empty() && (holder.back() == '\n' || holder.back() == ' ')) holder.pop_back();
    return Error{ErrorCode::usage,
                 fmt::format("another pushgated{} already uses this state folder (it holds {})",
                             holder.empty() ? "" : " (pid " + holder + ")", file.string())};
  }
  std::string pid = fmt::format("{}\n", ::getpid());
  if (::ftruncate(fd.get(), 0) == 0) {
    [[maybe_unused]] ssize_t written = ::pwrite(fd.get(), pid.data(), pid.size(), 0);
  }
  return InstanceLock(std::move(fd));
}

}  // namespace pushgate::daemon
