#pragma once
// Wakes the daemon when a job lands in the spool: inotify on SPOOL/new, so
// intake costs nothing while idle and starts within microseconds of the
// rename that publishes a job.

#include <filesystem>

#include "core/util/unique_fd.hpp"

namespace pushgate::daemon {

class SpoolWatch {
 public:
  // Watches `new_dir` for jobs renamed or written into it. Throws Failure
  // (ErrorCode::io) when inotify is unavailable.
  explicit SpoolWatch(const std::filesystem::path& new_dir);

  // Readable when something arrived.
  int fd() const { return m_fd.get(); }
  // Consumes the pending events; the caller then rescans the folder, which
  // also covers events the kernel dropped on overflow.
  void drain();

 private:
  UniqueFd m_fd;
};

}  // namespace pushgate::daemon
