#pragma once
// The hook files `pushgate install` writes, and where each server layout
// expects them.

#include <cstddef>
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

// The option that hands a hook program the hook file to read its settings
// from (core/config/hook_settings.hpp).
inline constexpr std::string_view k_hook_file_option = "--hook-file";

// The longest #! line, without its newline, that every Linux kernel runs:
// 127 bytes before 5.1, 255 since. A longer one is refused (ENOEXEC, and git
// then runs the file with sh) or, on old kernels, cut short.
inline constexpr std::size_t k_shebang_limit = 127;

// "#!PROGRAM --hook-file": the kernel runs PROGRAM with "--hook-file", the
// hook file's path and git's arguments.
std::string shebang_line(const std::filesystem::path& program);

// Whether `program` can be the interpreter of a #! line: absolute, without
// blanks (the kernel splits the line at the first one), and short enough.
bool fits_shebang(const std::filesystem::path& program);

// The hook file: its settings block (core/config/hook_settings.hpp) names
// the program, the daemon config (post-receive) and the identity variable.
// When `spec.program` fits a #! line and nothing is chained, the file's #!
// line runs the program directly, which reads the settings from the file:
// no shell starts. If the program is missing, execve fails and git refuses
// the push ("cannot run hooks/pre-receive: No such file or directory").
// Otherwise the file is a POSIX sh script that fails closed: when the program
// is missing or not executable it says so on stderr and exits 1 (after
// post-receive, the push has landed and it says no deploy was queued); else
// it runs the chained hook, if any, with the same standard input (stopping
// when it fails) and then the program with --hook-file. The sh lines are in
// the first form too, for a kernel that refuses the #! line.
std::string hook_script(const HookSpec& spec);

// The program and daemon config a hook script of ours names (its `program=`
// and `daemon_config=` lines); nullopt when `script` has no such line.
std::optional<std::string> script_program(std::string_view script);
std::optional<std::string> script_daemon_config(std::string_view script);

// Whether `script` is the first form of hook_script: its #! line runs its program.
bool runs_without_shell(std::string_view script);

}  // namespace pushgate::cli
