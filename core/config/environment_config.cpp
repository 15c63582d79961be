#include "core/config/environment_config.hpp"

#include <fmt/format.h>

#include <cctype>
#include <filesystem>
#include <string_view>

#include "core/config/deploy_dir.hpp"
#include "core/config/drift_config.hpp"
#include "core/config/kubernetes_deployer_config.hpp"
#include "core/config/ssh_deployer_config.hpp"
#include "core/util/http_url.hpp"
#include "core/util/placeholder.hpp"

namespace pushgate {

using yaml::NodeId;
using yaml::NodeKind;
using std::chrono::milliseconds;

namespace {

constexpr std::string_view k_command_example = R"([["/usr/local/bin/check-config", "{release}"]])";

// Environment names become ref and folder names; keep them to a safe alphabet.
bool valid_environment_name(const std::string& name) {
  if (name.empty() || name.size() > 63 || name.front() == '-' || name.front() == '.') return false;
  for (char c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) return false;
  return name.find("..") == std::string::npos;
}

bool valid_variable_name(std::string_view name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name.front()))) return false;
  for (char c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  return true;
}

std::optional<milliseconds> positive_duration(ConfigReader& r, NodeId at, const std::string& what) {
  auto d = r.duration(at, what);
  if (d && d->count() <= 0) {
    r.error(at, fmt::format("{} must be longer than 0", what));
    return std::nullopt;
  }
  return d;
}

// The subtree to deploy, normalised: "deploy/prod" for "./deploy/prod/".
// Absolute paths and ".." would name something outside the pushed tree.
std::optional<std::string> subtree_path(ConfigReader& r, NodeId at, const std::string& what) {
  auto text = r.string(at, what);
  if (!text) return std::nullopt;
  if (text->starts_with('/')) {
    r.error(at, fmt::format("{} must be a folder of the pushed tree relative to its top, like deploy/prod", what));
    return std::nullopt;
  }
  std::string out;
  std::size_t begin = 0;
  while (begin <= text->size()) {
    std::size_t end = std::min(text->find('/', begin), text->size());
    std::string_view part(text->data() + begin, end - begin);
    begin = end + 1;
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      r.error(at, fmt::format("{} must not contain '..': it names a folder of the pushed tree", what));
      return std::nullopt;
    }
    out += (out.empty() ? "" : "/") + std::string(part);
  }
  return out;
}

// A list of argv lists: `before: [["a", "b"], ["c"]]`.
std::optional<std::vector<std::vector<std::string>>> command_list(ConfigReader& r, NodeId at,
                                                                  const std::string& what) {
  auto shape_error = [&] {
    r.error(at, fmt::format("{} must be a list of commands, each an argv list: {}", what, k_command_example));
    return std::nullopt;
  };
  if (r.node(at).kind != NodeKind::sequence) return shape_error();
  std::vector<std::vector<std::string>> out;
  const auto& items = r.node(at).children;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (r.node(items[i]).kind == NodeKind::scalar) return shape_error();
    auto argv = r.argv(items[i], fmt::format("{}[{}]", what, i));
    if (!argv) return std::nullopt;
    out.push_back(std::move(*argv));
  }
  return out;
}

void read_deployer(ConfigReader& r, NodeId at, const std::string& what, DeployerSettings& d) {
  if (!r.mapping(at, what)) return;
  NodeId type = r.find(at, "type");
  if (type == yaml::k_no_node) {
    r.error(at, fmt::format("{} needs a type: local, command, ssh or kubernetes", what));
    return;
  }
  auto name = r.string(type, what + ".type");
  if (!name) return;
  if (*name == "local") {
    d.type = DeployerType::local;
    r.only_keys(at, what + " (type: local)", {"type", "dir", "keep_releases", "before", "after", "timeout",
                                                         "max_file_size", "max_release_size"});
    NodeId dir = r.find(at, "dir");
    if (dir == yaml::k_no_node) {
      r.error(at, fmt::format("{} needs a dir: the absolute target folder, like /srv/app", what));
    } else {
      if (auto normal = read_absolute_dir(r, dir, what + ".dir")) d.dir = *normal;
      d.dir_at = r.location(dir);
    }
  } else if (*name == "command") {
    d.type = DeployerType::command;
    r.only_keys(at, what + " (type: command)", {"type", "run", "keep_releases", "before", "after", "timeout",
                                                           "max_file_size", "max_release_size"});
    NodeId run = r.find(at, "run");
    if (run == yaml::k_no_node) {
      r.error(at, fmt::format("{} needs run: the argv that deploys a release, like "
                              "[\"ansible-playbook\", \"{{release}}/site.yml\"]", what));
    } else if (auto argv = r.argv(run, what + ".run")) {
      d.run = *argv;
    }
  } else if (*name == "ssh") {
    d.type = DeployerType::ssh;
    r.only_keys(at, what + " (type: ssh)",
                {"type", "hosts", "user", "port", "dir", "identity", "known_hosts", "parallel", "batch",
                 "max_unavailable", "connect_timeout", "keep_releases", "before", "after", "timeout",
                 "max_file_size", "max_release_size"});
    read_ssh_deployer(r, at, what, d);
  } else if (*name == "kubernetes") {
    d.type = DeployerType::kubernetes;
    r.only_keys(at, what + " (type: kubernetes)",
                {"type", "kubeconfig", "context", "namespace", "kubectl", "timeout", "keep_releases", "max_file_size",
                 "max_release_size"});
    read_kubernetes_deployer(r, at, what, d);
  } else {
    r.error(type, fmt::format("{}.type must be local, command, ssh or kubernetes, not '{}'", what, *name));
    return;
  }
  if (NodeId n = r.find(at, "keep_releases"); n != yaml::k_no_node)
    if (auto k = r.integer(n, what + ".keep_releases", 1, 1000)) d.keep_releases = *k;
  if (NodeId n = r.find(at, "before"); n != yaml::k_no_node)
    if (auto c = command_list(r, n, what + ".before")) d.before = *c;
  if (NodeId n = r.find(at, "after"); n != yaml::k_no_node)
    if (auto c = command_list(r, n, what + ".after")) d.after = *c;
  if (NodeId n = r.find(at, "timeout"); n != yaml::k_no_node)
    if (auto t = positive_duration(r, n, what + ".timeout")) d.timeout = *t;
  if (NodeId n = r.find(at, "max_file_size"); n != yaml::k_no_node)
    if (auto size = r.size(n, what + ".max_file_size")) d.max_file_size = *size;
  if (NodeId n = r.find(at, "max_release_size"); n != yaml::k_no_node)
    if (auto size = r.size(n, what + ".max_release_size")) d.max_release_size = *size;
}

// `health.http`. `{host}` stands for each host of a deployer with several;
// a check of a local or command target names the address itself.
void read_http_health(ConfigReader& r, NodeId at, const std::string& what, DeployerType type, HealthCheck& h) {
  auto url = r.string(at, what);
  if (!url) return;
  if (url->find(k_host_placeholder) != std::string::npos &&
      (type == DeployerType::local || type == DeployerType::command)) {
    r.error(at, fmt::format("{}: {{host}} is replaced by each host of an ssh deployer; this environment deploys "
                            "on the server itself, so write the address, like http://127.0.0.1:8080/healthz",
                            what));
    return;
  }
  // A stand-in host, so the rest of the URL is checked now, not at the first deploy.
  auto parsed = parse_http_url(replace_host(*url, "host.invalid"));
  if (!parsed) {
    r.error(at, fmt::format("{} '{}' is not a usable URL: {}", what, *url, parsed.error().message));
    return;
  }
#ifndef PUSHGATE_HTTPS
  if (parsed->scheme == HttpScheme::https) {
    r.error(at, fmt::format("{}: this pushgate was built with a cpp-httplib without TLS support, so it cannot "
                            "check https URLs; use http:// or rebuild against cpp-httplib with OpenSSL",
                            what));
    return;
  }
#endif
  h.http = *url;
}

HealthCheck read_health(ConfigReader& r, NodeId at, const std::string& what, DeployerType type) {
  HealthCheck h;
  if (!r.mapping(at, what)) return h;
  r.only_keys(at, what, {"command", "http", "expect", "timeout", "retries", "interval"});
  NodeId command = r.find(at, "command");
  NodeId http = r.find(at, "http");
  if (command == yaml::k_no_node && http == yaml::k_no_node)
    r.error(at, fmt::format("{} needs a command: an argv list, like [\"curl\", \"-fsS\", "
                            "\"http://127.0.0.1/health\"], or http: a URL, like http://127.0.0.1:8080/healthz",
                            what));
  else if (command != yaml::k_no_node && http != yaml::k_no_node)
    r.error(http, fmt::format("{} has both command and http; keep one of them", what));
  else if (command != yaml::k_no_node) {
    if (auto argv = r.argv(command, what + ".command")) h.command = *argv;
  } else
    read_http_health(r, http, what + ".http", type, h);
  if (NodeId n = r.find(at, "expect"); n != yaml::k_no_node) {
    if (http == yaml::k_no_node)
      r.error(n, fmt::format("{}.expect is the HTTP status an http check must answer; a command passes "
                             "by exiting with status 0", what));
    else if (auto status = r.integer(n, what + ".expect", 100, 599))
      h.expect = static_cast<int>(*status);
  }
  if (NodeId n = r.find(at, "timeout"); n != yaml::k_no_node)
    if (auto t = positive_duration(r, n, what + ".timeout")) h.timeout = *t;
  if (NodeId n = r.find(at, "retries"); n != yaml::k_no_node)
    if (auto k = r.integer(n, what + ".retries", 1, 100)) h.retries = static_cast<int>(*k);
  if (NodeId n = r.find(at, "interval"); n != yaml::k_no_node)
    if (auto t = r.duration(n, what + ".interval")) h.interval = *t;
  return h;
}

void read_retry(ConfigReader& r, NodeId at, const std::string& what, RetryPolicy& p) {
  if (!r.mapping(at, what)) return;
  r.only_keys(at, what, {"attempts", "delay", "on_interrupt"});
  if (NodeId n = r.find(at, "attempts"); n != yaml::k_no_node)
    if (auto k = r.integer(n, what + ".attempts", 1, 100)) p.attempts = static_cast<int>(*k);
  if (NodeId n = r.find(at, "delay"); n != yaml::k_no_node)
    if (auto t = r.duration(n, what + ".delay")) p.delay = *t;
  if (NodeId n = r.find(at, "on_interrupt"); n != yaml::k_no_node) {
    auto value = r.string(n, what + ".on_interrupt");
    if (value == "retry") p.on_interrupt = OnInterrupt::retry;
    else if (value == "rollback") p.on_interrupt = OnInterrupt::rollback;
    else if (value) r.error(n, fmt::format("{}.on_interrupt must be retry or rollback", what));
  }
}

// `env:` or `secrets:`. Messages never quote a value: it may be a secret.
void read_variables(ConfigReader& r, NodeId at, const std::string& what,
                    std::vector<std::pair<std::string, std::string>>& out) {
  if (!r.mapping(at, what)) return;
  for (auto [k, v] : r.entries(at)) {
    std::string_view name = r.node(k).value;
    if (r.node(k).kind != NodeKind::scalar || !valid_variable_name(name)) {
      r.error(k, fmt::format("{}: '{}' is not a variable name "
                             "(letters, digits and '_', not starting with a digit)",
                             what, name));
      continue;
    }
    if (name.starts_with("PUSHGATE_")) {
      r.error(k, fmt::format("{}: '{}' is reserved: pushgate sets the PUSHGATE_* variables itself", what, name));
      continue;
    }
    auto value = r.string(v, fmt::format("{}.{}", what, name));
    if (!value) continue;
    if (value->find('\0') != std::string::npos) {
      r.error(v, fmt::format("{}.{} must not contain a NUL character", what, name));
      continue;
    }
    out.emplace_back(name, std::move(*value));
  }
}

void check_secrets_apart(ConfigReader& r, NodeId secrets, const std::string& what, const Environment& env) {
  for (auto [k, v] : r.entries(secrets))
    for (const auto& [name, value] : env.variables)
      if (name == r.node(k).value)
        r.error(k, fmt::format("{}.secrets: '{}' is also set in {}.env; set it in one of them", what, name, what));
}

// An empty list would lock everyone out by a typo; no key means anyone.
void read_allowed_pushers(ConfigReader& r, NodeId at, const std::string& what, Environment& env) {
  auto list = r.string_list(at, what + ".allowed_pushers");
  if (!list) return;
  if (list->empty())
    r.error(at, fmt::format("{}.allowed_pushers is empty, so nobody could push to it; list accounts and "
                            "@groups (e.g. [alice, \"@deployers\"]), or remove the key to let every pusher",
                            what));
  for (const std::string& name : *list)
    if (name.empty() || name == "@")
      r.error(at, fmt::format("{}.allowed_pushers has an empty name; write an account, or @ and a group", what));
  env.allowed_pushers = std::move(*list);
}

void read_environment(ConfigReader& r, NodeId at, const std::string& what, Environment& env) {
  r.only_keys(at, what, {"branch", "path", "deployer", "health", "retry", "env", "secrets", "allowed_pushers", "drift"});
  NodeId branch = r.find(at, "branch");
  if (branch == yaml::k_no_node) {
    r.error(at, fmt::format("{} needs a branch: (e.g. branch: main)", what));
  } else if (auto b = r.string(branch, what + ".branch")) {
    env.branch = b->starts_with("refs/heads/") ? b->substr(11) : *b;
  }
  if (NodeId p = r.find(at, "path"); p != yaml::k_no_node)
    if (auto s = subtree_path(r, p, what + ".path")) env.path = *s;
  NodeId deployer = r.find(at, "deployer");
  if (deployer == yaml::k_no_node)
    r.error(at, fmt::format("{} needs a deployer: (e.g. deployer: {{type: local, dir: /srv/app}})", what));
  else
    read_deployer(r, deployer, what + ".deployer", env.deployer);
  if (NodeId n = r.find(at, "health"); n != yaml::k_no_node) {
    if (env.deployer.type == DeployerType::kubernetes)
      r.error(n, fmt::format("{}.health: a kubernetes deployer waits until the applied objects are ready "
                             "(rollouts done, Jobs complete) within deployer.timeout; drop health", what));
    else
      env.health = read_health(r, n, what + ".health", env.deployer.type);
  }
  if (NodeId n = r.find(at, "retry"); n != yaml::k_no_node) read_retry(r, n, what + ".retry", env.retry);
  if (NodeId n = r.find(at, "env"); n != yaml::k_no_node) read_variables(r, n, what + ".env", env.variables);
  if (NodeId n = r.find(at, "secrets"); n != yaml::k_no_node) {
    read_variables(r, n, what + ".secrets", env.secrets);
    check_secrets_apart(r, n, what, env);
  }
  if (NodeId n = r.find(at, "allowed_pushers"); n != yaml::k_no_node) read_allowed_pushers(r, n, what, env);
  if (NodeId n = r.find(at, "drift"); n != yaml::k_no_node)
    env.drift = read_drift(r, n, what + ".drift", env.deployer.type);
}

// Two environments deploying into one folder (or one inside the other's)
// would replace each other's releases and `current` link.
// `dirs[i]` is where envs[i] sets its dir.
void check_dirs_apart(ConfigReader& r, const std::vector<Environment>& envs, const std::vector<NodeId>& dirs) {
  for (std::size_t i = 0; i < envs.size(); ++i) {
    const DeployerSettings& a = envs[i].deployer;
    if (a.type != DeployerType::local || !a.dir.starts_with('/') || a.dir == "/") continue;
    for (std::size_t j = 0; j < i; ++j) {
      const DeployerSettings& b = envs[j].deployer;
      if (b.type != DeployerType::local || !b.dir.starts_with('/') || b.dir == "/") continue;
      if (!is_within(a.dir, b.dir) && !is_within(b.dir, a.dir)) continue;
      r.error(dirs[i],
                  fmt::format("environments.{}.deployer.dir '{}' {} environments.{}.deployer.dir '{}' ({}); "
                              "give each environment a folder of its own",
                              envs[i].name, a.dir, a.dir == b.dir ? "is also" : "overlaps", envs[j].name, b.dir,
                              format_location(b.dir_at)));
    }
  }
}

}  // namespace

void read_environments(ConfigReader& r, NodeId at, std::vector<Environment>& out) {
  if (!r.mapping(at, "environments")) return;
  std::vector<NodeId> dirs;
  for (auto [k, val] : r.entries(at)) {
    Environment env;
    env.name = r.node(k).value;
    if (!valid_environment_name(env.name)) {
      r.error(k, fmt::format("environment name '{}' must be 1-63 letters, digits, '-', '_' or '.'", env.name));
      continue;
    }
    std::string what = fmt::format("environments.{}", env.name);
    if (!r.mapping(val, what)) continue;
    read_environment(r, val, what, env);
    NodeId deployer = r.find(val, "deployer");
    dirs.push_back(deployer == yaml::k_no_node ? deployer : r.find(deployer, "dir"));
    out.push_back(std::move(env));
  }
  check_dirs_apart(r, out, dirs);
}

}  // namespace pushgate
