#include "cli/hook_script.hpp"

#include <fmt/format.h>

#include "core/config/hook_settings.hpp"
#include "core/util/error.hpp"
#include "core/util/shell_quote.hpp"

namespace pushgate::cli {

Layout parse_layout(const std::string& name) {
  if (name == "bare") return Layout::bare;
  if (name == "gitolite" || name == "gitolite3") return Layout::gitolite;
  if (name == "gitea" || name == "forgejo") return Layout::gitea;
  if (name == "gitlab") return Layout::gitlab;
  if (name == "http") return Layout::http;
  throw Failure(ErrorCode::usage,
                fmt::format("unknown layout '{}': use bare, gitolite, gitea, forgejo, gitlab or http", name));
}

std::string_view layout_name(Layout layout) {
  switch (layout) {
    case Layout::bare: return "bare";
    case Layout::gitolite: return "gitolite";
    case Layout::gitea: return "gitea";
    case Layout::gitlab: return "gitlab";
    case Layout::http: return "http";
  }
  return "bare";
}

std::string_view identity_variable(Layout layout) {
  switch (layout) {
    case Layout::gitolite: return "GL_USER";            // gitolite-shell, from the key
    case Layout::gitea: return "GITEA_PUSHER_NAME";     // Gitea/Forgejo's serv or http handler
    case Layout::gitlab: return "GL_USERNAME";          // Gitaly, from GitLab's session
    case Layout::http: return "REMOTE_USER";            // the web server, after authentication
    case Layout::bare: return "";                       // anyone can set any variable over file://
  }
  return "";
}

HookPaths hook_paths(Layout layout, const std::filesystem::path& git_dir,
                     const std::filesystem::path& local_code) {
  switch (layout) {
    case Layout::bare:
    case Layout::http:
      return {git_dir / "hooks/pre-receive", git_dir / "hooks/post-receive"};
    case Layout::gitolite:
      // gitolite copies LOCAL_CODE/hooks/common/* into every repository on
      // `gitolite setup --hooks-only`.
      return {local_code / "hooks/common/pre-receive", local_code / "hooks/common/post-receive"};
    case Layout::gitea:
      // Gitea and Forgejo own hooks/pre-receive and run every script in pre-receive.d/.
      return {git_dir / "hooks/pre-receive.d/pushgate", git_dir / "hooks/post-receive.d/pushgate"};
    case Layout::gitlab:
      return {git_dir / "custom_hooks/pre-receive.d/pushgate",
              git_dir / "custom_hooks/post-receive.d/pushgate"};
  }
  throw Failure(ErrorCode::internal, "unknown layout");
}

std::vector<std::filesystem::path> hook_folders(Layout layout, const std::filesystem::path& git_dir,
                                                const std::filesystem::path& local_code) {
  switch (layout) {
    case Layout::bare:
    case Layout::http:
      return {git_dir / "hooks"};
    case Layout::gitolite:
      return {local_code, local_code / "hooks", local_code / "hooks/common", git_dir / "hooks"};
    case Layout::gitea:
      return {git_dir / "hooks", git_dir / "hooks/pre-receive.d", git_dir / "hooks/post-receive.d"};
    case Layout::gitlab:
      return {git_dir / "custom_hooks", git_dir / "custom_hooks/pre-receive.d",
              git_dir / "custom_hooks/post-receive.d"};
  }
  throw Failure(ErrorCode::internal, "unknown layout");
}

bool fits_shebang(const std::filesystem::path& program) {
  const std::string& path = program.native();
  return program.is_absolute() && shebang_line(program).size() <= k_shebang_limit &&
         path.find_first_of(" \t\n\r\v\f") == std::string::npos;
}

std::string shebang_line(const std::filesystem::path& program) {
  return fmt::format("#!{} {}", program.string(), k_hook_file_option);
}

namespace {

std::optional<HookSettings> script_settings(std::string_view script) {
  auto settings = parse_hook_settings(script);
  if (!settings || settings->program.empty()) return std::nullopt;
  return *settings;
}

}  // namespace

std::optional<std::string> script_program(std::string_view script) {
  auto settings = script_settings(script);
  if (!settings) return std::nullopt;
  return settings->program;
}

std::optional<std::string> script_daemon_config(std::string_view script) {
  auto settings = script_settings(script);
  if (!settings || settings->daemon_config.empty()) return std::nullopt;
  return settings->daemon_config;
}

bool runs_without_shell(std::string_view script) {
  auto program = script_program(script);
  return program && script.starts_with(shebang_line(*program) + "\n");
}

std::string hook_script(const HookSpec& spec) {
  bool post = spec.kind == HookKind::post_receive;
  // A chained hook needs a shell to share standard input.
  bool direct = spec.chained.empty() && fits_shebang(spec.program);
  std::string script = fmt::format("{}\n{}: written by `pushgate install`; run it again to update.\n",
                                   direct ? shebang_line(spec.program) : "#!/bin/sh", k_hook_marker);
  script += direct ? "# git runs the program above with this file's path, and the program reads the\n"
                     "# settings below. When the program is missing, git cannot run this hook and\n"
                     "# refuses the push. Should the kernel refuse the #! line, git runs this file\n"
                     "# with sh: the lines after the settings check the program and run it.\n"
                   : "# git skips a hook it cannot run and accepts the push: this script checks the\n"
                     "# program first and rejects the push when it cannot run it.\n";
  script += format_hook_settings({spec.program.string(), post ? spec.daemon_config.string() : std::string(),
                                  spec.identity_from});
  std::string consequence = post ? "the push landed, but no deploy was queued" : "push rejected";
  std::string message = fmt::format("pushgate: error: {} is missing or not executable; {}. Reinstall pushgate "
                                    "or run `{}` again.",
                                    spec.program.string(), consequence, spec.reinstall);
  script += fmt::format(
      "if [ ! -x \"$program\" ]; then\n"
      "  printf '%s\\n' {} >&2\n"
      "  exit 1\n"
      "fi\n",
      shell_quote(message));
  std::string run = fmt::format("\"$program\" {} \"$0\" \"$@\"\n", k_hook_file_option);
  if (spec.chained.empty()) return script + "exec " + run;
  // Both hooks read the same ref lines from standard input.
  return script + fmt::format(
                      "input=$(cat)\n"
                      "printf '%s\\n' \"$input\" | {} \"$@\" || exit $?\n"
                      "printf '%s\\n' \"$input\" | {}",
                      shell_quote(spec.chained.string()), run);
}

}  // namespace pushgate::cli
