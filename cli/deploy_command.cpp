// `pushgate deploy REPO.git ENV REV`: deploy a commit by hand, in line with pushes.

#include <memory>

#include "cli/command.hpp"
#include "cli/job_queue.hpp"

namespace pushgate::cli {

void add_deploy_command(CLI::App& app, ExitCode& exit_code) {
  auto args = std::make_shared<QueueArgs>();
  CLI::App* cmd = app.add_subcommand(
      "deploy",
      "Queue a deploy of REV to ENV, run by pushgated in order with pushed deploys.\n"
      "Exit status: 0 queued (with --wait: succeeded), 1 with --wait: it failed or was\n"
      "rolled back, 2 usage or config error, 3 pushgated cannot be followed.");
  add_repo_argument(cmd, args->repo);
  cmd->add_option("env", args->env, "an environment of its pushgate.yaml")->required();
  cmd->add_option("rev", args->rev, "the commit, branch or tag to deploy (must be on a branch or tag)")
      ->required();
  cmd->add_flag("--wait", args->wait, "stream the deploy's log and wait for its outcome");
  add_daemon_config_option(cmd, args->daemon_config);
  cmd->callback([args, &exit_code] { exit_code = queue_job(JobKind::deploy, *args); });
}

}  // namespace pushgate::cli
