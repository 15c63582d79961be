#include "cli/hook_script.hpp"

#include <fmt/format.h>

#include "core/error.hpp"

namespace pushgate::cli {

Layout parse_layout(const std::string& name) {
  if (name == "bare") return Layout::bare;
  if (name == "gitolite" || name == "gitolite3") return Layout::gitolite;
  if (name == "gitea" || name == "forgejo") return Layout::gitea;
  if (name == "gitlab") return Layout::gitlab;
  throw Failure(ErrorCode::usage,
                fmt::format("unknown layout '{}': use bare, gitolite, gitea or gitlab", name));
}

HookPaths hook_paths(Layout layout, const std::filesystem::path& git_dir,
                     const std::filesystem::path& local_code) {
  switch (layout) {
    case Layout::bare:
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

std::string shell_quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string hook_script(const std::filesystem::path& binary, const std::filesystem::path& chained,
                        const std::filesystem::path& daemon_config) {
  std::string script = fmt::format("#!/bin/sh\n{}: written by `pushgate install`; run it again to update.\n",
                                   k_hook_marker);
  // An argument, not the environment: hooks do not read variables a pusher sets.
  std::string program = shell_quote(binary.string());
  if (!daemon_config.empty()) program += " --daemon-config " + shell_quote(daemon_config.string());
  if (chained.empty()) return script + fmt::format("exec {} \"$@\"\n", program);
  // Both hooks read the same ref lines from standard input.
  return script + fmt::format(
                      "input=$(cat)\n"
                      "printf '%s\\n' \"$input\" | {} \"$@\" || exit $?\n"
                      "printf '%s\\n' \"$input\" | {} \"$@\"\n",
                      shell_quote(chained.string()), program);
}

}  // namespace pushgate::cli
