#pragma once
// The hook files `pushgate install` writes, and where each server layout
// expects them.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pushgate::cli {

enum class Layout { bare, gitolite, gitea, gitlab, http };

// Parses "bare", "gitolite", "gitea" (also Forgejo), "gitlab" or "http".
// Throws Failure (ErrorCode::usage) for anything else.
Layout parse_layout(const std::string& name);
// The name parse_layout takes for `layout`.
std::string_view layout_name(Layout layout);

// The one environment variable of the hook that `layout` vouches for as the
// pusher's name (set by the server, not by the pusher): GL_USER (gitolite),
// GITEA_PUSHER_NAME (Gitea, Forgejo), GL_USERNAME (GitLab), REMOTE_USER
// (smart HTTP). Empty for bare: there the system user is the pusher.
std::string_view identity_variable(Layout layout);

// Where the pre-receive and post-receive hook files go for `layout`.
// `git_dir` is the repository's; `local_code` is gitolite's LOCAL_CODE folder.
struct HookPaths {
  std::filesystem::path pre_receive;
  std::filesystem::path post_receive;
};
HookPaths hook_paths(Layout layout, const std::filesystem::path& git_dir,
                     const std::filesystem::path& local_code);

// The folders that hold the hooks of `layout` and that git or the server
// reads hooks from: all must be writable by their owner alone, or anyone who
// can write one can run code as every pusher. Outermost first.
std::vector<std::filesystem::path> hook_folders(Layout layout, const std::filesystem::path& git_dir,
                                                const std::filesystem::path& local_code);

// The line that marks a hook file as pushgate's own.
inline constexpr std::string_view k_hook_marker = "# pushgate-managed";

// The daemon config a post-receive hook names when install is given none.
inline constexpr std::string_view k_default_hook_daemon_config = "/etc/pushgate/pushgated.yaml";

enum class HookKind { pre_receive, post_receive };

// What a hook script runs.
struct HookSpec {
  HookKind kind = HookKind::pre_receive;
  std::filesystem::path program;  // absolute: pushgate-pre-receive or -post-receive
  std::filesystem::path chained;  // a foreign hook run first; empty: none
  // post-receive only: its --daemon-config FILE.
  std::filesystem::path daemon_config;
  // Both: the --identity-from VAR of the layout (empty: none), so the gate
  // (allowed_pushers) and the deploy job know the same pusher.
  std::string identity_from;
  // The command that writes the hook again, for the message a broken hook prints.
  std::string reinstall;
};

// A POSIX sh script that fails closed: when `spec.program` is missing or not
// executable it says so on stderr and exits 1 (git then rejects the push;
// after post-receive, the push has landed and the script says no deploy
// was queued). Otherwise it runs the chained hook, if any, with the same
// standard input (stopping when it fails) and execs the program.
std::string hook_script(const HookSpec& spec);

// The program and daemon config a hook script of ours names (its `program=`
// and `daemon_config=` lines); nullopt when `script` has no such line.
std::optional<std::string> script_program(std::string_view script);
std::optional<std::string> script_daemon_config(std::string_view script);


}  // namespace pushgate::cli
