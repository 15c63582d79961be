// `pushgate hosts REPO.git ENV [--format json]`: each host's key of an ssh
// environment, as the host presents it, against the configured known_hosts,
// so an administrator can check a fingerprint and add the line.

#include <fmt/format.h>

#include <algorithm>
#include <future>
#include <iostream>
#include <memory>
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/command.hpp"
#include "core/config/repo_config.hpp"
#include "core/git/git.hpp"
#include "core/jobs/job.hpp"
#include "core/util/terminal_text.hpp"
#include "deployers/ssh/ssh_connection.hpp"
#include "deployers/ssh/ssh_deployer.hpp"

namespace pushgate::cli {

namespace {

struct HostsArgs {
  std::string repo;
  std::string env;
  std::string format = "text";
};

// One host's answer: its key, or why it could not be asked.
struct HostReport {
  ssh::HostSpec host;
  std::optional<ssh::HostKey> key;
  std::string error;
};

std::string state_name(const HostReport& r) {
  if (!r.key) return "unreachable";
  switch (r.key->state) {
    case ssh::HostKeyState::known: return "match";
    case ssh::HostKeyState::unknown: return "unknown";
    case ssh::HostKeyState::changed: return "changed";
  }
  return "unknown";
}

// Every host at once: a fleet with hosts down takes one connect timeout, not one per host.
// The hosts come from the deployer, so they are named exactly as a deploy reaches them.
std::vector<HostReport> probe_all(const Environment& env) {
  const DeployerSettings& d = env.deployer;
  ssh::SshDeployer deployer(env, {});
  std::vector<std::future<HostReport>> pending;
  for (const ssh::HostSpec& spec : deployer.hosts())
    pending.push_back(std::async(std::launch::async, [spec, &d] {
      auto key = ssh::probe_host_key(spec, d.ssh.known_hosts, d.ssh.connect_timeout);
      return key ? HostReport{spec, *key, ""} : HostReport{spec, std::nullopt, key.error().message};
    }));
  std::vector<HostReport> out;
  for (auto& p : pending) out.push_back(p.get());
  return out;
}

// Host names and errors come from the administrator's file and from the
// hosts themselves: escaped before they reach the terminal.
void print_text(const std::vector<HostReport>& reports, const std::string& known_hosts) {
  std::size_t known = 0;
  for (const HostReport& r : reports) {
    std::string label = escape_control(r.host.label());
    if (!r.key) {
      std::cout << fmt::format("{}: unreachable: {}\n", label, escape_control(r.error));
      continue;
    }
    const ssh::HostKey& k = *r.key;
    std::string key = fmt::format("{} ({})", escape_control(k.fingerprint), escape_control(k.type));
    switch (k.state) {
      case ssh::HostKeyState::known:
        ++known;
        std::cout << fmt::format("{}: match {}\n", label, key);
        break;
      case ssh::HostKeyState::unknown:
        std::cout << fmt::format("{}: unknown {}; check it with the host's administrator, then add to {}:\n  {}\n",
                                 label, key, known_hosts, escape_control(k.known_hosts_line));
        break;
      case ssh::HostKeyState::changed:
        std::cout << fmt::format(
            "{}: changed {}; {} has {}. If the host was reinstalled or rekeyed on purpose, replace its line in "
            "{} with:\n  {}\n",
            label, key, known_hosts,
            k.known_fingerprint.empty() ? "another key" : escape_control(k.known_fingerprint), known_hosts,
            escape_control(k.known_hosts_line));
        break;
    }
  }
  std::cout << fmt::format("pushgate: {} of {} host{} match {}\n", known, reports.size(),
                           reports.size() == 1 ? "" : "s", known_hosts);
}

void print_json(const std::vector<HostReport>& reports, const std::string& env, const std::string& known_hosts) {
  nlohmann::json hosts = nlohmann::json::array();
  for (const HostReport& r : reports) {
    nlohmann::json h = {{"host", r.host.host}, {"port", r.host.port}, {"user", r.host.user},
                        {"state", state_name(r)}};
    if (r.key) {
      h["type"] = r.key->type;
      h["fingerprint"] = r.key->fingerprint;
      h["known_hosts_line"] = r.key->known_hosts_line;
      if (r.key->state == ssh::HostKeyState::changed) h["known_fingerprint"] = r.key->known_fingerprint;
    } else {
      h["error"] = r.error;
    }
    hosts.push_back(std::move(h));
  }
  nlohmann::json out = {{"environment", env}, {"known_hosts", known_hosts}, {"hosts", std::move(hosts)}};
  std::cout << out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

ExitCode run_hosts(const HostsArgs& args) {
  git::RepositoryPtr repo = git::open(args.repo).value();
  std::string git_dir = git::git_dir(repo.get());
  RepoConfig config = load_repo_config(git_dir).value();
  const Environment* env = find_environment(config, args.env, repo_identity(git_dir)).value();
  if (env->deployer.type != DeployerType::ssh)
    throw Failure(ErrorCode::usage, fmt::format("environment '{}' of {} does not deploy over ssh (its deployer "
                                                "is not type: ssh); pushgate hosts lists the hosts of one that does",
                                                args.env, git_dir));
  std::vector<HostReport> reports = probe_all(*env);
  if (args.format == "json")
    print_json(reports, env->name, env->deployer.ssh.known_hosts);
  else
    print_text(reports, env->deployer.ssh.known_hosts);
  bool all_known = std::all_of(reports.begin(), reports.end(), [](const HostReport& r) {
    return r.key && r.key->state == ssh::HostKeyState::known;
  });
  return all_known ? ExitCode::ok : ExitCode::findings;
}

}  // namespace

void add_hosts_command(CLI::App& app, ExitCode& exit_code) {
  auto args = std::make_shared<HostsArgs>();
  CLI::App* cmd = app.add_subcommand(
      "hosts",
      "Connect to each host of ENV's ssh deployer (without logging in) and print the SHA256\n"
      "fingerprint of the key it presents, and whether the deployer's known_hosts has it:\n"
      "match, unknown (with the known_hosts line to add once you have checked the fingerprint\n"
      "with the host's administrator) or changed (the key known_hosts has differs: a\n"
      "reinstalled host, or someone in between). pushgate never trusts a key on first use.\n"
      "Exit status: 0 every host matches, 1 a host is unknown, changed or unreachable, 2 usage\n"
      "or config error, 3 failure.");
  add_repo_argument(cmd, args->repo);
  cmd->add_option("env", args->env, "an environment of its pushgate.yaml with deployer type: ssh")->required();
  cmd->add_option("--format", args->format, "text or json")->check(CLI::IsMember({"text", "json"}));
  cmd->callback([args, &exit_code] { exit_code = run_hosts(*args); });
}

}  // namespace pushgate::cli
