// pushgate-post-receive: git's post-receive hook. See hooks/post_receive.hpp.

#include <iostream>
#include <string_view>

#include "hooks/hook_file.hpp"
#include "hooks/post_receive.hpp"

namespace {

constexpr const char* k_usage =
    "usage: pushgate-post-receive [--hook-file FILE | [--daemon-config FILE] [--identity-from VAR]]\n\n"
    "git's post-receive hook: reads '<old> <new> <ref>' lines on standard input and\n"
    "queues one deploy job per environment that an updated branch maps to (the\n"
    "repository's pushgate.yaml), for pushgated to run. Returns at once; with\n"
    "`git push -o pushgate.wait` it streams each deploy's log until it ends or the\n"
    "daemon's wait_limit passes. The hook file that `pushgate install` writes names\n"
    "this program on its #! line, so that it runs with:\n"
    "  --hook-file FILE      the hook file, whose settings name the two below (it must be\n"
    "                        owned by root or the repository's owner, writable by nobody else)\n"
    "or, by hand:\n"
    "  --daemon-config FILE  the daemon's pushgated.yaml (default /etc/pushgate/pushgated.yaml)\n"
    "  --identity-from VAR   the one variable the Git server sets to the authenticated\n"
    "                        pusher (GL_USER, GITEA_PUSHER_NAME, GL_USERNAME, REMOTE_USER);\n"
    "                        without it the pusher is the account the hook runs as\n"
    "No other environment variable is read: a pusher over file:// sets them.\n\n"
    "exit status: always 0; the push has landed, problems are reported as remote: lines\n";

// Parsed by hand: this runs on every push, and a parser library costs startup time.
bool parse(int argc, char** argv, pushgate::PostReceiveOptions& options) {
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::cout << k_usage;
      return false;
    }
    if (arg == "--hook-file" && i + 1 < argc) {
      auto settings = pushgate::read_hook_file(argv[++i], pushgate::hook_git_dir());
      if (!settings) {
        // The daemon config it names cannot be believed: queue nothing.
        std::cerr << "pushgate: error: " << settings.error().message
                  << "; the push landed, but no deploy was queued. Run `pushgate install` again.\n";
        return false;
      }
      options.daemon_config = settings->daemon_config;
      options.identity_from = settings->identity_from;
      continue;
    }
    std::string* value = arg.starts_with("--daemon-config")   ? &options.daemon_config
                         : arg.starts_with("--identity-from") ? &options.identity_from
                                                              : nullptr;
    if (value && arg.find('=') != std::string_view::npos) {
      *value = arg.substr(arg.find('=') + 1);
    } else if (value && (arg == "--daemon-config" || arg == "--identity-from") && i + 1 < argc) {
      *value = argv[++i];
    } else {
      std::cerr << "pushgate: warning: ignoring the unknown argument '" << arg
                << "' of pushgate-post-receive; run `pushgate install` again\n";
    }
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  pushgate::PostReceiveOptions options;
  if (!parse(argc, argv, options)) return 0;
  pushgate::run_post_receive(std::cin, std::cerr, options);
  return 0;
}
