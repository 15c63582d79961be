// `pushgate diff REPO.git ENV [--format json]`: the daemon's drift check, on
// demand: how the target differs from the release the notes call live.

#include <fmt/format.h>

#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "cli/command.hpp"
#include "core/config/daemon_config.hpp"
#include "core/config/repo_config.hpp"
#include "core/git/git.hpp"
#include "core/jobs/job.hpp"
#include "core/records/deploy_status.hpp"
#include "core/util/process.hpp"
#include "core/util/terminal_text.hpp"
#include "deployers/deployer.hpp"

namespace pushgate::cli {

namespace {

struct DiffArgs {
  std::string repo;
  std::string env;
  std::string format = "text";
  std::string daemon_config;
};

// Paths come from the target (files anyone with access there named) and
// the notes: every line is escaped before it is shown.
void print_line(const std::string& line) { std::cout << escape_control(line) << '\n'; }

void print_text(const std::string& env, const LiveDeploy& live, const Drift& drift) {
  std::string release = live.release.empty() ? "" : fmt::format(" (release {})", live.release);
  if (!drift.drifted())
    print_line(fmt::format("{}: no drift from {}{}", env, abbreviate(live.commit), release));
  else
    print_line(fmt::format("{}: drifted from {}{}: {} changed, {} added, {} removed{}", env, abbreviate(live.commit),
                           release, drift.changed, drift.added, drift.removed,
                           drift.elsewhere ? fmt::format(", current elsewhere on {}", drift.elsewhere) : ""));
  for (const auto& path : drift.paths) print_line("  " + path);
  if (std::size_t total = drift.added + drift.removed + drift.changed + drift.elsewhere; total > drift.paths.size())
    print_line(fmt::format("  ... and {} more", total - drift.paths.size()));
  for (const auto& place : drift.unchecked) print_line("  not checked: " + place);
}

void print_json(const std::string& env, const LiveDeploy& live, const Drift& drift) {
  nlohmann::json j = {{"env", env},
                      {"commit", live.commit},
                      {"release", live.release},
                      {"drifted", drift.drifted()},
                      {"added", drift.added},
                      {"removed", drift.removed},
                      {"changed", drift.changed},
                      {"elsewhere", drift.elsewhere},
                      {"paths", drift.paths},
                      {"unchecked", drift.unchecked}};
  std::cout << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

ExitCode run_diff(const DiffArgs& args) {
  git::RepositoryPtr repo = git::open(args.repo).value();
  std::string git_dir = repo_identity(git::git_dir(repo.get()));
  RepoConfig config = load_repo_config(git_dir).value();
  const Environment* env = find_environment(config, args.env, git_dir).value();
  DaemonConfig daemon = find_daemon_config(args.daemon_config, ConfigTrust::for_repository(git_dir)).value();
  auto live = live_from_history(read_deploy_history(repo.get(), env->name).value());
  if (!live) {
    print_line(fmt::format("{}: nothing is deployed yet, so nothing can drift", env->name));
    return ExitCode::ok;
  }
  SystemProcessRunner runner;
  auto deployer = make_deployer(*env, git_dir, daemon.state.string(), runner);
  DeployRequest request;
  request.repo = repo.get();
  request.env = env;
  request.commit = live->commit;
  request.release_id = live->release;
  request.log = [](std::string_view line) { std::cerr << escape_control(line) << '\n'; };
  Drift drift = deployer->drift(request).value();
  if (args.format == "json")
    print_json(env->name, *live, drift);
  else
    print_text(env->name, *live, drift);
  return drift.drifted() ? ExitCode::findings : ExitCode::ok;
}

}  // namespace

void add_diff_command(CLI::App& app, ExitCode& exit_code) {
  auto args = std::make_shared<DiffArgs>();
  CLI::App* cmd = app.add_subcommand(
      "diff",
      "Compare ENV's target with the release the deploy notes call live, as pushgated's drift\n"
      "checks do: files added, removed or changed in the release folder (locally or on each\n"
      "host) and a `current` that points elsewhere. Run it as the account pushgated deploys as.\n"
      "Exit status: 0 no drift, 1 drift, 2 error.");
  add_repo_argument(cmd, args->repo);
  cmd->add_option("env", args->env, "an environment of its pushgate.yaml")->required();
  cmd->add_option("--format", args->format, "text (default) or json")->check(CLI::IsMember({"text", "json"}));
  add_daemon_config_option(cmd, args->daemon_config);
  cmd->callback([args, &exit_code] {
    try {
      exit_code = run_diff(*args);
    } catch (const std::exception& e) {
      // Every error is 2 here: 1 means drift, and must not be mistaken for one.
      std::cerr << "pushgate: error: " << e.what() << '\n';
      exit_code = ExitCode::usage;
    }
  });
}

}  // namespace pushgate::cli
