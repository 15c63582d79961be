#include "core/util/durable.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/util/unique_fd.hpp"

namespace pushgate {

namespace {

Expected<bool> sync_with(const std::filesystem::path& dir, int (*sync)(int), std::string_view what) {
  UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd || sync(fd.get()) < 0)
    return Error{ErrorCode::io, fmt::format("cannot {} '{}': {}", what, dir.string(), std::strerror(errno))};
  return true;
}

}  // namespace

Expected<bool> sync_dir(const std::filesystem::path& dir) { return sync_with(dir, ::fsync, "sync folder"); }

Expected<bool> sync_filesystem(const std::filesystem::path& path) {
  return sync_with(path, ::syncfs, "sync the file system of");
}

}  // namespace pushgate
