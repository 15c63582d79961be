#pragma once
// The lock that keeps a second pushgated away from the same state folder.

#include <filesystem>

#include "core/util/error.hpp"
#include "core/util/unique_fd.hpp"

namespace pushgate::daemon {

class InstanceLock {
 public:
  // Takes an exclusive POSIX record lock on `file` (created if needed; not
  // inherited by forked children) and writes this process's id into it.
  // ErrorCode::usage when another process holds it, ErrorCode::io when the
  // file cannot be opened. The lock is released when the object goes away,
  // or by the kernel when the process dies.
  static Expected<InstanceLock> acquire(const std::filesystem::path& file);

 private:
  explicit InstanceLock(UniqueFd fd) : m_fd(std::move(fd)) {}
  UniqueFd m_fd;
};

}  // namespace pushgate::daemon
