#include "cli/hook_script.hpp"

#include <fmt/format.h>

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

namespace {

// Reverses shell_quote.
std::optional<std::string> shell_unquote(std::string_view text) {
  std::string out;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\'') {
      quoted = !quoted;
    } else if (!quoted && c == '\\' && i + 1 < text.size()) {
      out += text[++i];
    } else if (quoted) {
      out += c;
    } else {
      return std::nullopt;  // not something shell_quote wrote
    }
  }
  if (quoted) return std::nullopt;
  return out;
}

std::optional<std::string> script_variable(std::string_view script, std::string_view name) {
  std::string prefix = fmt::format("{}=", name);
  std::size_t at = 0;
  while (at < script.size()) {
    std::size_t end = script.find('\n', at);
    if (end == std::string_view::npos) end = script.size();
    std::string_view line = script.substr(at, end - at);
    if (line.starts_with(prefix)) return shell_unquote(line.substr(prefix.size()));
    at = end + 1;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> script_program(std::string_view script) { return script_variable(script, "program"); }

std::optional<std::string> script_daemon_config(std::string_view script) {
  return script_variable(script, "daemon_config");
}

std::string hook_script(const HookSpec& spec) {
  bool post = spec.kind == HookKind::post_receive;
  std::string script = fmt::format(
      "#!/bin/sh\n"
      "{}: written by `pushgate install`; run it again to update.\n"
      "# git skips a hook it cannot run and accepts the push: this script checks the\n"
      "# program first and rejects the push when it cannot run it.\n"
      "program={}\n",
      k_hook_marker, shell_quote(spec.program.string()));
  std::string args;
  if (post) {
    script += fmt::format("daemon_config={}\n", shell_quote(spec.daemon_config.string()));
    args = " --daemon-config \"$daemon_config\"";
  }
  if (!spec.identity_from.empty()) args += fmt::format(" --identity-from {}", spec.identity_from);
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
  if (spec.chained.empty()) return script + fmt::format("exec \"$program\"{} \"$@\"\n", args);
  // Both hooks read the same ref lines from standard input.
  return script + fmt::format(
                      "input=$(cat)\n"
                      "printf '%s\\n' \"$input\" | {} \"$@\" || exit $?\n"
                      "printf '%s\\n' \"$input\" | \"$program\"{} \"$@\"\n",
                      shell_quote(spec.chained.string()), args);
}

}  // namespace pushgate::cli
