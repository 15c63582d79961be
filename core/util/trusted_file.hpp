#pragma once
// Files and folders of the administrator, trusted the way sshd's StrictModes
// trusts ~/.ssh: owned by root or by an account that is allowed to own them,
// and writable by nobody else. Everything pushgate takes orders from
// (pushgate.yaml, pushgated.yaml, the hooks folder) passes through here, so a
// pusher who shares a group-writable repository cannot swap it.

#include <sys/types.h>

#include <cstddef>
#include <filesystem>
#include <initializer_list>
#include <string>

#include "core/util/error.hpp"

namespace pushgate {

// Who may own a trusted file besides root.
using TrustedOwners = std::initializer_list<uid_t>;

// The owner of `path` (following links): the uid every trust check of a
// repository's files compares with. An Error (ErrorCode::io) when it cannot
// be read.
Expected<uid_t> owner_of(const std::filesystem::path& path);

// The account name of `uid`, or "uid N" when it has none.
std::string account_name(uid_t uid);

// Checks a file or folder: owned by root or one of `owners`, not writable
// by group or others. A symbolic link is followed only when the link itself
// belongs to root or one of `owners`. The error (ErrorCode::config) names
// `path`, its owner and mode, and the command that fixes it.
Expected<bool> check_trusted(const std::filesystem::path& path, TrustedOwners owners);

// Reads a trusted file whole: opened without blocking, checked on the very
// descriptor that is read (no window between check and read), at most
// `max_size` bytes. A missing file is ErrorCode::io with errno ENOENT kept in
// `missing`, so callers can fall back to defaults.
struct TrustedRead {
  bool missing = false;
  std::string text;
};
Expected<TrustedRead> read_trusted_file(const std::filesystem::path& path, TrustedOwners owners,
                                        std::size_t max_size = 4u << 20);

}  // namespace pushgate
