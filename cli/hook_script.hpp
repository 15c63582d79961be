#pragma once
// The hook files `pushgate install` writes, and where each server layout
// expects them.

#include <filesystem>
#include <string>
#include <vector>

namespace pushgate::cli {

enum class Layout { bare, gitolite, gitea, gitlab };

// Parses "bare", "gitolite", "gitea" (also Forgejo) or "gitlab".
Layout parse_layout(const std::string& name);

// Where the pre-receive and post-receive hook files go for `layout`.
// `git_dir` is the repository's; `local_code` is gitolite's LOCAL_CODE folder.
struct HookPaths {
  std::filesystem::path pre_receive;
  std::filesystem::path post_receive;
};
HookPaths hook_paths(Layout layout, const std::filesystem::path& git_dir,
                     const std::filesystem::path& local_code);

// The line that marks a hook file as pushgate's own.
inline constexpr std::string_view k_hook_marker = "# pushgate-managed";

// A POSIX sh script that execs `binary`, for a hook that cannot simply be a
// symbolic link to it (`pushgate install` links when it can). When `chained` is not empty, the
// script first feeds its standard input to that hook (the one that was
// there before) and stops if it fails. `daemon_config` is passed on as
// --daemon-config FILE when not empty.
std::string hook_script(const std::filesystem::path& binary, const std::filesystem::path& chained,
                        const std::filesystem::path& daemon_config);

// `text` quoted for sh: single quotes, with embedded ones escaped.
std::string shell_quote(const std::string& text);

}  // namespace pushgate::cli
