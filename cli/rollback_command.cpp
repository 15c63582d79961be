// `pushgate rollback REPO.git ENV [--to REV]`: bring an earlier release back.

#include <memory>

#include "cli/command.hpp"
#include "cli/job_queue.hpp"

namespace pushgate::cli {

void add_rollback_command(CLI::App& app, ExitCode& exit_code) {
  auto args = std::make_shared<QueueArgs>();
  CLI::App* cmd = app.add_subcommand(
      "rollback",
      "Queue a rollback of ENV: to the previous successful release, or to --to REV. Instant\n"
      "where the release is still kept on the target.\n"
      "Exit status: 0 queued (with --wait: rolled back), 1 with --wait: it failed, 2 usage or\n"
      "config error, 3 pushgated cannot be followed.");
  add_repo_argument(cmd, args->repo);
  cmd->add_option("env", args->env, "an environment of its pushgate.yaml")->required();
  cmd->add_option("--to", args->rev, "the commit, branch or tag to make live again");
  cmd->add_flag("--wait", args->wait, "stream the rollback's log and wait for its outcome");
  add_daemon_config_option(cmd, args->daemon_config);
  cmd->callback([args, &exit_code] { exit_code = queue_job(JobKind::rollback, *args); });
}

}  // namespace pushgate::cli
