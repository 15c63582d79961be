// Arguments that several subcommands share, so their names and help agree.

#include "cli/command.hpp"

namespace pushgate::cli {

void add_repo_argument(CLI::App* cmd, std::string& repo) {
  cmd->add_option("repo", repo, "the server's repository, e.g. /srv/git/app.git")->required();
}

void add_daemon_config_option(CLI::App* cmd, std::string& file) {
  cmd->add_option("--daemon-config", file,
                  "pushgated.yaml of the daemon (default: $PUSHGATE_DAEMON_CONFIG, else /etc/pushgate/)");
}

}  // namespace pushgate::cli
