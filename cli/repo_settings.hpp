#pragma once
// The git settings `pushgate install` turns on in a repository's own
// config, and how uninstall puts them back.

#include <git2.h>

#include <array>
#include <string_view>

#include "cli/install_record.hpp"

namespace pushgate::cli {

// receive.fsckObjects: git checks every pushed object and refuses trees with
// `.git`, `..` or duplicate entries before any hook runs.
// receive.advertisePushOptions: `git push -o pushgate.wait` works.
inline constexpr std::array<std::string_view, 2> k_install_settings = {"receive.fsckObjects",
                                                                         "receive.advertisePushOptions"};

// True when `key` is true for `repo` (any config level git reads).
bool setting_is_true(git_repository* repo, std::string_view key);

// Sets `key` to true in the repository's own config unless it is true
// there already, saying so, and notes its previous value in `record` (the
// first time only). Throws Failure (ErrorCode::git).
void set_repo_setting(git_repository* repo, std::string_view key, InstallRecord& record);

// Undoes set_repo_setting: when the repository's own config still holds the
// value install set, removes the key (or puts the previous value back) and
// says so; otherwise says it is left as the administrator changed it.
void restore_repo_setting(git_repository* repo, const InstallRecord::ConfigKey& key);

}  // namespace pushgate::cli
