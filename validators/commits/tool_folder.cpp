#include "validators/commits/tool_folder.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "core/util/error.hpp"
#include "core/util/write_all.hpp"

namespace pushgate {

namespace {

Failure cannot(std::string_view what, const std::filesystem::path& path) {
  return Failure(ErrorCode::io, fmt::format("cannot {} '{}': {}", what, path.string(), std::strerror(errno)));
}

void write_private(const std::filesystem::path& path, std::string_view text) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  bool ok = fd >= 0 && write_all(fd, text);
  if (fd >= 0) ::close(fd);
  if (!ok) throw cannot("write", path);
}

}  // namespace

ToolFolder::~ToolFolder() {
  std::error_code ec;
  if (m_paths) std::filesystem::remove_all(m_paths->folder, ec);
}

const ToolFolder::Paths& ToolFolder::paths() const {
  std::lock_guard lock(m_mutex);
  if (!m_paths) m_paths = make();
  return *m_paths;
}

ToolFolder::Paths ToolFolder::make() const {
  std::string pattern = (std::filesystem::temp_directory_path() / "pushgate-signers.XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw cannot("make a private folder like", pattern);
  Paths out{pattern, {}, {}, std::filesystem::path(pattern) / "gnupg"};
  try {
    if (::mkdir(out.gnupg_home.c_str(), 0700) != 0) throw cannot("make", out.gnupg_home);
    if (m_allowed_signers) write_private(out.allowed_signers = out.folder / "allowed_signers", *m_allowed_signers);
    if (m_keyring) write_private(out.keyring = out.folder / "keyring.gpg", *m_keyring);
  } catch (...) {
    std::error_code ec;
    std::filesystem::remove_all(out.folder, ec);
    throw;
  }
  return out;
}

}  // namespace pushgate
