#include "core/util/trusted_file.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "core/util/read_full.hpp"
#include "core/util/unique_fd.hpp"

namespace pushgate {

namespace {

Error io_error(std::string_view what, const std::filesystem::path& path) {
  return {ErrorCode::io, fmt::format("cannot {} '{}': {}", what, path.string(), std::strerror(errno))};
}

bool allowed_owner(uid_t uid, TrustedOwners owners) {
  if (uid == 0) return true;
  for (uid_t o : owners)
    if (o == uid) return true;
  return false;
}

std::string owner_list(TrustedOwners owners) {
  std::string out = "root";
  for (uid_t o : owners)
    if (o != 0 && out.find(account_name(o)) == std::string::npos) out += " or " + account_name(o);
  return out;
}

// A symbolic link is believed only when one of `owners` (or root) made it:
// its target is checked as well, but another account chose which one.
Expected<bool> check_link_owner(const struct stat& link, const std::filesystem::path& path, TrustedOwners owners) {
  if (allowed_owner(link.st_uid, owners)) return true;
  return Error{ErrorCode::config,
               fmt::format("refusing '{}': it is a symbolic link made by {}, not by {}. Fix: replace it "
                           "with the file it points to, or recreate the link as {}",
                           path.string(), account_name(link.st_uid), owner_list(owners), owner_list(owners))};
}

Expected<bool> check_stat(const struct stat& st, const std::filesystem::path& path, TrustedOwners owners) {
  const char* what = S_ISDIR(st.st_mode) ? "folder" : "file";
  if (!allowed_owner(st.st_uid, owners))
    return Error{ErrorCode::config,
                 fmt::format("refusing {} '{}': it belongs to {}, not to {}, so another account could have "
                             "written it. Fix: chown {} '{}'",
                             what, path.string(), account_name(st.st_uid), owner_list(owners),
                             account_name(owners.size() ? *owners.begin() : 0), path.string())};
  if (st.st_mode & (S_IWGRP | S_IWOTH))
    return Error{ErrorCode::config,
                 fmt::format("refusing {} '{}': its mode {:04o} lets {} change it. Fix: chmod go-w '{}'", what,
                             path.string(), st.st_mode & 07777,
                             (st.st_mode & S_IWOTH) ? "every account" : "the members of its group", path.string())};
  return true;
}

}  // namespace

Expected<uid_t> owner_of(const std::filesystem::path& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return io_error("read the owner of", path);
  return st.st_uid;
}

std::string account_name(uid_t uid) {
  std::vector<char> buf(16384);
  passwd pw{};
  passwd* found = nullptr;
  if (::getpwuid_r(uid, &pw, buf.data(), buf.size(), &found) == 0 && found && *found->pw_name) return found->pw_name;
  return fmt::format("uid {}", uid);
}

Expected<bool> check_trusted(const std::filesystem::path& path, TrustedOwners owners) {
  struct stat link;
  if (::lstat(path.c_str(), &link) != 0) return io_error("read the mode of", path);
  if (S_ISLNK(link.st_mode)) {
    if (auto made = check_link_owner(link, path, owners); !made) return made;
    struct stat target;
    if (::stat(path.c_str(), &target) != 0) return io_error("follow", path);
    return check_stat(target, path, owners);
  }
  return check_stat(link, path, owners);
}

Expected<TrustedRead> read_trusted_file(const std::filesystem::path& path, TrustedOwners owners,
                                        std::size_t max_size) {
  struct stat link;
  if (::lstat(path.c_str(), &link) != 0) {
    if (errno == ENOENT) return TrustedRead{true, {}};
    return io_error("read", path);
  }
  if (S_ISLNK(link.st_mode))
    if (auto made = check_link_owner(link, path, owners); !made) return made.error();
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY));
  if (!fd) return io_error("open", path);
  // Checked on what was opened, so that what is read is what was checked.
  struct stat st;
  if (::fstat(fd.get(), &st) != 0) return io_error("read the mode of", path);
  if (auto checked = check_stat(st, path, owners); !checked) return checked.error();
  if (!S_ISREG(st.st_mode))
    return Error{ErrorCode::config, fmt::format("refusing '{}': it is not a regular file", path.string())};
  if (static_cast<std::size_t>(st.st_size) > max_size)
    return Error{ErrorCode::config,
                 fmt::format("refusing '{}': {} bytes is more than the {} a configuration file may have",
                             path.string(), st.st_size, max_size)};
  TrustedRead out;
  out.text.resize(static_cast<std::size_t>(st.st_size));
  ssize_t got = read_full(fd.get(), out.text.data(), out.text.size());
  if (got < 0) return io_error("read", path);
  out.text.resize(static_cast<std::size_t>(got));
  return out;
}

}  // namespace pushgate
