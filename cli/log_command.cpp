// `pushgate log REPO.git ENV [REV] [--follow JOB]`: the full log of a deploy.

#include <fmt/format.h>

#include <iostream>
#include <memory>

#include "cli/command.hpp"
#include "cli/job_queue.hpp"
#include "core/config/daemon_config.hpp"
#include "core/records/deploy_status.hpp"
#include "core/git/git.hpp"
#include "core/records/notes.hpp"
#include "core/config/repo_config.hpp"
#include "core/jobs/spool.hpp"
#include "core/util/terminal_text.hpp"

namespace pushgate::cli {

namespace {

struct LogArgs {
  std::string repo;
  std::string env;
  std::string rev;
  std::uint64_t follow = 0;
  std::string daemon_config;
};

ExitCode follow(const LogArgs& args) {
  DaemonConfig daemon = find_daemon_config(args.daemon_config, ConfigTrust::for_repository(args.repo)).value();
  Spool spool(daemon.spool);
  auto job = spool.find(args.follow);
  if (!job) throw Failure(ErrorCode::usage, fmt::format("there is no job {} in {}", args.follow, daemon.spool.string()));
  return follow_job_output(daemon, spool.id(), args.follow, job->kind);
}

ExitCode run_log(const LogArgs& args) {
  if (args.follow != 0) return follow(args);
  git::RepositoryPtr repo = git::open(args.repo).value();
  std::string git_dir = git::git_dir(repo.get());
  RepoConfig config = load_repo_config(git_dir).value();
  if (auto known = find_environment(config, args.env, repo_identity(git_dir)); !known) throw Failure(known.error());
  git_oid commit;
  if (args.rev.empty()) {
    auto last = last_attempt(read_deploy_history(repo.get(), args.env).value());
    if (!last) throw Failure(ErrorCode::usage, fmt::format("nothing was deployed to '{}' yet", args.env));
    commit = git::parse_oid(last->commit).value();
  } else {
    git_object* raw = nullptr;
    if (git_revparse_single(&raw, repo.get(), (args.rev + "^{commit}").c_str()) < 0)
      throw Failure(ErrorCode::usage, fmt::format("'{}' does not name a commit in {}", args.rev, git_dir));
    git::ObjectPtr object(raw);
    commit = *git_object_id(raw);
  }
  std::string log = read_note(repo.get(), deploy_log_notes_ref(args.env), commit).value();
  if (log.empty()) {
    std::cerr << fmt::format("pushgate: no deploy of {} to {} has a log\n", git::to_hex(commit).substr(0, 12),
                             args.env);
    return ExitCode::findings;
  }
  // The daemon escaped each line as it wrote the log (daemon/job_log.cpp);
  // a control character here comes from elsewhere and must not reach the terminal.
  std::cout << escape_lines(log, Backslash::keep);
  return ExitCode::ok;
}

}  // namespace

void add_log_command(CLI::App& app, ExitCode& exit_code) {
  auto args = std::make_shared<LogArgs>();
  CLI::App* cmd = app.add_subcommand(
      "log",
      "Print the full log of the deploys of REV to ENV (default: the newest attempt), as kept\n"
      "in refs/notes/deploy-log/ENV; or, with --follow JOB, stream a running job's log.\n"
      "Exit status: 0 printed (with --follow: the job did what it was for), 1 no log (with\n"
      "--follow: the job failed), 2 usage or config error, 3 failure.");
  add_repo_argument(cmd, args->repo);
  cmd->add_option("env", args->env, "an environment of its pushgate.yaml")->required();
  cmd->add_option("rev", args->rev, "the deployed commit, branch or tag");
  cmd->add_option("--follow", args->follow, "stream job JOB's log from pushgated until it ends");
  add_daemon_config_option(cmd, args->daemon_config);
  cmd->callback([args, &exit_code] { exit_code = run_log(*args); });
}

}  // namespace pushgate::cli
