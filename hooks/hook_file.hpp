#pragma once
// The hook file that names a hook program on its #! line: the kernel runs
// `PROGRAM --hook-file HOOK_FILE [git's arguments]`, and the program takes its
// settings from that file (core/config/hook_settings.hpp).

#include <filesystem>
#include <string>

#include "core/config/hook_settings.hpp"
#include "core/util/error.hpp"

namespace pushgate {

// The repository git runs a hook for: GIT_DIR, else the current folder
// (git starts hooks in the repository).
std::string hook_git_dir();

// The settings of `hook_file`, which is believed as the repository's
// pushgate.yaml is: a regular file owned by root or the owner of `git_dir`
// and writable by nobody else (core/util/trusted_file.hpp), a symbolic link
// only when its owner is one of them too. Errors: ErrorCode::io (the file
// cannot be read or is missing) or ErrorCode::config (not trusted, or a
// setting parse_hook_settings refuses), the message naming the file.
Expected<HookSettings> read_hook_file(const std::filesystem::path& hook_file, const std::filesystem::path& git_dir);

}  // namespace pushgate
