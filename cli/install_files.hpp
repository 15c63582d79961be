#pragma once
// File operations shared by `pushgate install` and `pushgate uninstall`.

#include <filesystem>
#include <string>

#include <git2.h>

namespace pushgate::cli {

// The repository's git directory as an absolute path without a trailing
// slash: what every path install writes is built from.
std::filesystem::path absolute_git_dir(git_repository* repo);

// A hook file, or a symbolic link even when it points nowhere.
bool hook_exists(const std::filesystem::path& hook);

// A script with pushgate's marker line, or a symbolic link to one of
// pushgate's programs (what older versions of `pushgate install` wrote).
bool is_ours(const std::filesystem::path& hook);

// Writes `content` to `path` through a temporary file and rename, so a hook
// is never seen half-written by a push running at the same moment. Throws
// Failure (ErrorCode::io) naming the file.
void write_atomically(const std::filesystem::path& path, const std::string& content,
                      std::filesystem::perms perms);

// Removes write permission for group and others from `path` when it exists,
// and says so on stdout ("made PATH not writable by group or others (mode
// 2775 -> 2755)"). Returns whether it changed anything.
bool remove_group_other_write(const std::filesystem::path& path);

// "0755", "2775": the permission bits of `perms` in octal.
std::string octal_mode(std::filesystem::perms perms);

}  // namespace pushgate::cli
