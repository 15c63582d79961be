// `pushgate status REPO.git [ENV] [--json]`: what is live where, and what is in flight.

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <optional>

#include <nlohmann/json.hpp>

#include "cli/command.hpp"
#include "core/jobs/control_client.hpp"
#include "core/config/daemon_config.hpp"
#include "core/records/deploy_status.hpp"
#include "core/git/git.hpp"
#include "core/config/repo_config.hpp"
#include "core/jobs/spool.hpp"
#include "core/util/terminal_text.hpp"
#include "deployers/ssh/ssh_deployer.hpp"

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

// What the hosts of each ssh environment have live, asked now: by environment name.
using FleetLive = std::map<std::string, std::vector<ssh::HostLive>>;

FleetLive ask_fleets(const RepoConfig& config, const RepoStatus& status) {
  FleetLive out;
  for (const auto& e : status.environments)
    for (const Environment& env : config.environments)
      if (env.name == e.name && env.deployer.type == DeployerType::ssh) {
        try {
          out[env.name] = ssh::SshDeployer(env, {}).live_per_host();
        } catch (const Failure& f) {
          out[env.name] = {{{}, std::nullopt, f.what()}};
        }
      }
  return out;
}

// Hosts that answered, grouped by the commit they have live ("" nothing; a
// host may hold it as a release of its own name), the largest group first.
struct LiveGroup {
  std::string commit;
  std::vector<std::string> hosts;
};

std::vector<LiveGroup> group_by_live(const std::vector<ssh::HostLive>& hosts) {
  std::map<std::string, LiveGroup> by_commit;
  for (const auto& h : hosts) {
    if (!h.error.empty()) continue;
    std::string commit = h.live ? h.live->commit : "";
    LiveGroup& group = by_commit[commit];
    group.commit = commit;
    group.hosts.push_back(h.host.label());
  }
  std::vector<LiveGroup> out;
  for (auto& [commit, group] : by_commit) out.push_back(std::move(group));
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.hosts.size() > b.hosts.size(); });
  return out;
}

std::string describe_group(const LiveGroup& group) {
  return group.commit.empty() ? "nothing live" : group.commit.substr(0, 12);
}

// One line per host, then one that says whether they agree, and with the notes.
void print_hosts(const std::vector<ssh::HostLive>& hosts, const EnvironmentStatus& e) {
  print_line("  on the hosts now (each host's current):");
  std::size_t unasked = 0;
  for (const auto& h : hosts) {
    if (!h.error.empty()) ++unasked;
    std::string live = h.live ? fmt::format("{} (release {})", h.live->commit.substr(0, 12), h.live->id) : "nothing live";
    print_line(fmt::format("    {}: {}", h.host.label(), h.error.empty() ? live : "not asked: " + h.error));
  }
  std::vector<LiveGroup> groups = group_by_live(hosts);
  std::string not_asked = unasked ? fmt::format("; {} could not be asked", unasked) : "";
  if (groups.empty()) {
    print_line("  hosts: none could be asked");
  } else if (groups.size() == 1) {
    print_line(fmt::format("  hosts agree: {} {} have {}{}", unasked ? "the" : "all", groups[0].hosts.size(),
                           groups[0].commit.empty() ? "nothing live" : describe_group(groups[0]) + " live", not_asked));
    if (e.live && !groups[0].commit.empty() && !same_commit(groups[0].commit, e.live->commit))
      print_line(fmt::format("  hosts DISAGREE with the notes, which say {} is live", e.live->commit.substr(0, 12)));
  } else {
    std::vector<std::string> parts;
    for (std::size_t i = 0; i < groups.size(); ++i)
      parts.push_back(fmt::format("{} {} {}{}", groups[i].hosts.size(), groups[i].hosts.size() == 1 ? "has" : "have",
                                  describe_group(groups[i]),
                                  i == 0 ? "" : fmt::format(": {}", fmt::join(groups[i].hosts, ", "))));
    print_line(fmt::format("  hosts DISAGREE: {}{}", fmt::join(parts, "; "), not_asked));
  }
}

// status_to_json's object with each ssh environment's hosts added.
std::string with_hosts_json(const std::string& json, const FleetLive& fleets) {
  nlohmann::json out = nlohmann::json::parse(json);
  for (auto& env : out["environments"]) {
    auto found = fleets.find(env["name"].get<std::string>());
    if (found == fleets.end()) continue;
    nlohmann::json hosts = nlohmann::json::array();
    for (const auto& h : found->second) {
      nlohmann::json host = {{"host", h.host.host}, {"port", h.host.port}, {"user", h.host.user}};
      host["release"] = h.live ? nlohmann::json(h.live->id) : nlohmann::json(nullptr);
      host["commit"] = h.live ? nlohmann::json(h.live->commit) : nlohmann::json(nullptr);
      if (!h.error.empty()) host["error"] = h.error;
      hosts.push_back(std::move(host));
    }
    env["hosts"] = std::move(hosts);
    env["hosts_agree"] = group_by_live(found->second).size() <= 1;
  }
  return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void print_text(const RepoStatus& status, const DaemonConfig& daemon, const FleetLive& fleets) {
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
    if (auto fleet = fleets.find(e.name); fleet != fleets.end()) print_hosts(fleet->second, e);
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
  FleetLive fleets = ask_fleets(config, status);
  if (args.json)
    std::cout << with_hosts_json(status_to_json(status), fleets) << '\n';
  else
    print_text(status, daemon, fleets);
  return ExitCode::ok;
}

}  // namespace

void add_status_command(CLI::App& app, ExitCode& exit_code) {
  auto args = std::make_shared<StatusArgs>();
  CLI::App* cmd = app.add_subcommand(
      "status",
      "Show, per environment, what is live (commit, release, since when, by whom), the last\n"
      "attempt, and the jobs running or waiting. Reads the deploy notes and the spool, so it\n"
      "works while pushgated is down. For an ssh fleet it also asks every host what it has\n"
      "live (its current) and says when hosts disagree (at most connect_timeout per host).\n"
      "Exit status: 0 shown, 2 usage or config error (unknown environment), 3 failure.");
  add_repo_argument(cmd, args->repo);
  cmd->add_option("env", args->env, "only this environment");
  cmd->add_flag("--json", args->json, "one JSON object instead of text");
  add_daemon_config_option(cmd, args->daemon_config);
  cmd->callback([args, &exit_code] { exit_code = run_status(*args); });
}

}  // namespace pushgate::cli
