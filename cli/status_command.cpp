// `pushgate status REPO.git [ENV] [--json]`: what is live where, and what is in flight.

#include <fmt/format.h>

#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>

#include "cli/command.hpp"
#include "core/jobs/control_client.hpp"
#include "core/config/daemon_config.hpp"
#include "core/records/deploy_status.hpp"
#include "core/git/git.hpp"
#include "core/config/repo_config.hpp"
#include "core/jobs/spool.hpp"
#include "core/util/terminal_text.hpp"

namespace pushgate::cli {

namespace {

struct StatusArgs {
  std::string repo;
  std::string env;
  std::string daemon_config;
  bool json = false;
};

std::string job_line(const Job& job) {
  std::string what = job.commit.empty() ? "the previous release" : job.commit.substr(0, 12);
  return fmt::format("job {} {} of {} by {} (queued {})", job.id, to_string(job.kind), what, job.pusher,
                     job.enqueued_at);
}

// Pushers, messages and releases come from notes and job files that pushes
// and other accounts wrote: every line is escaped before it is shown.
void print_line(const std::string& line) { std::cout << escape_control(line) << '\n'; }

void print_text(const RepoStatus& status, const DaemonConfig& daemon) {
  print_line(status.repo);
  if (status.environments.empty()) print_line("  no environments in its pushgate.yaml");
  for (const auto& e : status.environments) {
    print_line(fmt::format("{} (branch {})", e.name, e.branch));
    if (e.live)
      print_line(fmt::format("  live:    {} since {} by {} (job {}){}", e.live->commit.substr(0, 12),
                             e.live->since, e.live->by, e.live->job,
                             e.live->release.empty() ? "" : ", release " + e.live->release));
    else
      print_line("  live:    nothing deployed yet");
    if (e.last) {
      const DeployRecord& r = e.last->record;
      std::string message = r.field("message");
      print_line(fmt::format("  last:    {} {} {} (job {}){}{}", r.timestamp, to_string(r.status),
                             e.last->commit.substr(0, 12), r.field("job"), message.empty() ? "" : ": ", message));
      // A fleet (ssh deployer): how many hosts took it, and which disagree with the rest.
      if (std::string hosts = r.field("hosts"); !hosts.empty()) {
        std::string disagree = r.field("disagree");
        print_line(fmt::format("  hosts:   {} ok of {}{}", r.field("ok"), hosts,
                               disagree.empty() ? "" : "; these hosts disagree with the rest: " + disagree));
      }
    }
    for (const Job& job : e.active) print_line("  running: " + job_line(job));
    for (const Job& job : e.record_pending)
      print_line("  record pending: " + job_line(job) + "; deployed, the deploy note is not written yet (pushgated retries)");
    for (const Job& job : e.waiting) print_line("  waiting: " + job_line(job));
  }
  if (status.daemon_version)
    print_line(fmt::format("pushgated {} is running ({})", *status.daemon_version, daemon.socket.string()));
  else
    print_line(fmt::format("pushgated is not running ({}): queued jobs wait for it", daemon.socket.string()));
}

ExitCode run_status(const StatusArgs& args) {
  git::RepositoryPtr repo = git::open(args.repo).value();
  RepoConfig config = load_repo_config(git::git_dir(repo.get())).value();
  DaemonConfig daemon =
      find_daemon_config(args.daemon_config, ConfigTrust::for_repository(git::git_dir(repo.get()))).value();
  // Reading the status must not create a spool where there is none.
  std::optional<Spool> spool;
  std::error_code ec;
  if (std::filesystem::is_directory(daemon.spool, ec)) spool.emplace(daemon.spool);
  RepoStatus status = read_repo_status(repo.get(), config, spool ? &*spool : nullptr, args.env).value();
  status.daemon_version = ping_daemon(daemon.socket, std::chrono::milliseconds(500));
  if (args.json)
    std::cout << status_to_json(status) << '\n';
  else
    print_text(status, daemon);
  return ExitCode::ok;
}

}  // namespace

void add_status_command(CLI::App& app, ExitCode& exit_code) {
  auto args = std::make_shared<StatusArgs>();
  CLI::App* cmd = app.add_subcommand(
      "status",
      "Show, per environment, what is live (commit, release, since when, by whom), the last\n"
      "attempt, and the jobs running or waiting. Reads the deploy notes and the spool, so it\n"
      "works while pushgated is down.\n"
      "Exit status: 0 shown, 2 usage or config error (unknown environment), 3 failure.");
  add_repo_argument(cmd, args->repo);
  cmd->add_option("env", args->env, "only this environment");
  cmd->add_flag("--json", args->json, "one JSON object instead of text");
  add_daemon_config_option(cmd, args->daemon_config);
  cmd->callback([args, &exit_code] { exit_code = run_status(*args); });
}

}  // namespace pushgate::cli
