#include "core/config/ssh_deployer_config.hpp"

#include <fmt/format.h>

#include <cctype>
#include <charconv>
#include <filesystem>
#include <set>

namespace pushgate {

using yaml::NodeId;
using yaml::NodeKind;

namespace {

constexpr std::size_t k_max_hosts = 1000;

// Host names and users reach libssh and messages, never a shell; still,
// keep them to what DNS, IP literals and account names use.
bool plain_name(std::string_view s, std::string_view extra) {
  if (s.empty() || s.front() == '-') return false;
  for (char c : s)
    if (!std::isalnum(static_cast<unsigned char>(c)) && extra.find(c) == std::string_view::npos) return false;
  return true;
}

std::optional<int> parse_port(std::string_view text) {
  int port = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
  if (ec != std::errc() || end != text.data() + text.size() || port < 1 || port > 65535) return std::nullopt;
  return port;
}

// "user@host:port", "host", "[::1]:2222", ...
std::optional<SshHost> parse_host_string(std::string_view text) {
  SshHost h;
  if (auto at = text.rfind('@'); at != std::string_view::npos) {
    h.user = text.substr(0, at);
    text.remove_prefix(at + 1);
    if (h.user.empty()) return std::nullopt;
  }
  std::string_view port;
  if (text.starts_with('[')) {
    auto close = text.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    h.host = text.substr(1, close - 1);
    std::string_view rest = text.substr(close + 1);
    if (!rest.empty() && (!rest.starts_with(':') || rest.size() < 2)) return std::nullopt;
    if (!rest.empty()) port = rest.substr(1);
  } else if (auto colon = text.find(':'); colon != std::string_view::npos) {
    h.host = text.substr(0, colon);
    port = text.substr(colon + 1);
  } else {
    h.host = text;
  }
  if (!port.empty()) {
    auto p = parse_port(port);
    if (!p) return std::nullopt;
    h.port = *p;
  }
  return h;
}

bool valid_host(const SshHost& h) {
  return plain_name(h.host, ".-_:") && (h.user.empty() || plain_name(h.user, ".-_"));
}

std::optional<SshHost> read_host(ConfigReader& r, NodeId at, const std::string& what) {
  constexpr std::string_view k_shape =
      "a host as \"user@host:port\" or a mapping {host: web1.example.com, port: 22, user: deploy, dir: /srv/app}";
  SshHost h;
  if (r.node(at).kind == NodeKind::scalar) {
    auto parsed = parse_host_string(r.node(at).value);
    if (!parsed) {
      r.error(at, fmt::format("{} '{}' is not {}", what, r.node(at).value, k_shape));
      return std::nullopt;
    }
    h = *parsed;
  } else if (r.node(at).kind == NodeKind::mapping) {
    r.only_keys(at, what, {"host", "port", "user", "dir"});
    NodeId host = r.find(at, "host");
    if (host == yaml::k_no_node) {
      r.error(at, fmt::format("{} needs host: its name or address", what));
      return std::nullopt;
    }
    if (auto s = r.string(host, what + ".host")) h.host = *s;
    if (NodeId n = r.find(at, "port"); n != yaml::k_no_node)
      if (auto p = r.integer(n, what + ".port", 1, 65535)) h.port = static_cast<int>(*p);
    if (NodeId n = r.find(at, "user"); n != yaml::k_no_node)
      if (auto s = r.string(n, what + ".user")) h.user = *s;
    if (NodeId n = r.find(at, "dir"); n != yaml::k_no_node)
      if (auto d = read_absolute_dir(r, n, what + ".dir")) h.dir = *d;
  } else {
    r.error(at, fmt::format("{} must be {}", what, k_shape));
    return std::nullopt;
  }
  if (!valid_host(h)) {
    r.error(at, fmt::format("{}: '{}' is not a host name or address, or '{}' not an account name", what, h.host,
                            h.user));
    return std::nullopt;
  }
  return h;
}

// A count from `min`, or "N%" (1..100).
std::optional<FleetShare> read_share(ConfigReader& r, NodeId at, const std::string& what, std::int64_t min) {
  if (r.node(at).kind == NodeKind::scalar && r.node(at).value.ends_with('%')) {
    std::string_view s = r.node(at).value;
    std::size_t n = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size() - 1, n);
    if (ec == std::errc() && end == s.data() + s.size() - 1 && n >= static_cast<std::size_t>(std::max<std::int64_t>(min, 1)) && n <= 100)
      return FleetShare{n, true};
    r.error(at, fmt::format("{} must be a number of hosts or a percentage from {}% to 100%", what, std::max<std::int64_t>(min, 1)));
    return std::nullopt;
  }
  auto n = r.integer(at, what, min, static_cast<std::int64_t>(k_max_hosts));
  if (!n) return std::nullopt;
  return FleetShare{static_cast<std::size_t>(*n), false};
}

}  // namespace

// An absolute file of the administrator's: identity, known_hosts, kubeconfig.
std::optional<std::string> read_absolute_file(ConfigReader& r, NodeId at, const std::string& what,
                                              std::string_view example) {
  auto s = r.string(at, what);
  if (s && !s->starts_with('/')) {
    r.error(at, fmt::format("{} must be an absolute path on this server, like {}", what, example));
    return std::nullopt;
  }
  return s;
}

std::optional<std::string> read_absolute_dir(ConfigReader& r, NodeId at, const std::string& what) {
  auto s = r.string(at, what);
  if (!s) return std::nullopt;
  std::string normal = std::filesystem::path(*s).lexically_normal().string();
  if (normal.size() > 1 && normal.ends_with('/')) normal.pop_back();
  if (!s->starts_with('/')) {
    r.error(at, fmt::format("{} must be an absolute folder, like /srv/app", what));
    return std::nullopt;
  }
  if (normal == "/") {
    r.error(at, fmt::format("{} must not be '/': a deploy removes old releases there; use a folder of its own, "
                            "like /srv/app", what));
    return std::nullopt;
  }
  return normal;
}

void read_ssh_deployer(ConfigReader& r, NodeId at, const std::string& what, DeployerSettings& d) {
  SshDeployerSettings& s = d.ssh;
  NodeId hosts = r.find(at, "hosts");
  if (hosts == yaml::k_no_node || r.node(hosts).kind != NodeKind::sequence || r.node(hosts).children.empty()) {
    r.error(hosts == yaml::k_no_node ? at : hosts,
            fmt::format("{} needs hosts: a list of one or more, like [\"deploy@web1:22\", \"web2\"]", what));
  } else if (r.node(hosts).children.size() > k_max_hosts) {
    r.error(hosts, fmt::format("{}.hosts: at most {} hosts", what, k_max_hosts));
  } else {
    std::set<std::pair<std::string, int>> seen;
    const auto& items = r.node(hosts).children;
    for (std::size_t i = 0; i < items.size(); ++i) {
      std::string item = fmt::format("{}.hosts[{}]", what, i);
      auto h = read_host(r, items[i], item);
      if (!h) continue;
      if (!seen.insert({h->host, h->port}).second) {
        r.error(items[i], fmt::format("{}: host '{}' is listed twice", item, h->host));
        continue;
      }
      s.hosts.push_back(std::move(*h));
    }
  }
  if (NodeId n = r.find(at, "dir"); n != yaml::k_no_node) {
    if (auto dir = read_absolute_dir(r, n, what + ".dir")) d.dir = *dir;
    d.dir_at = r.location(n);
  } else {
    for (const auto& h : s.hosts)
      if (h.dir.empty()) {
        r.error(at, fmt::format("{} needs a dir: the absolute target folder on the hosts, like /srv/app", what));
        break;
      }
  }
  if (NodeId n = r.find(at, "user"); n != yaml::k_no_node) {
    auto user = r.string(n, what + ".user");
    if (user && !plain_name(*user, ".-_")) r.error(n, fmt::format("{}.user '{}' is not an account name", what, *user));
    else if (user) s.user = *user;
  }
  if (NodeId n = r.find(at, "port"); n != yaml::k_no_node)
    if (auto p = r.integer(n, what + ".port", 1, 65535)) s.port = static_cast<int>(*p);
  for (auto [key, out] : {std::pair<std::string_view, std::string*>{"identity", &s.identity},
                          std::pair<std::string_view, std::string*>{"known_hosts", &s.known_hosts}}) {
    NodeId n = r.find(at, key);
    if (n == yaml::k_no_node)
      r.error(at, fmt::format("{} needs {}: a file on this server, like /etc/pushgate/ssh/{}", what, key,
                              key == "identity" ? "id_ed25519" : "known_hosts"));
    else if (auto f = read_absolute_file(r, n, fmt::format("{}.{}", what, key)))
      *out = *f;
  }
  if (NodeId n = r.find(at, "parallel"); n != yaml::k_no_node)
    if (auto p = r.integer(n, what + ".parallel", 1, static_cast<std::int64_t>(k_max_hosts))) s.parallel = static_cast<std::size_t>(*p);
  if (NodeId n = r.find(at, "batch"); n != yaml::k_no_node)
    if (auto b = read_share(r, n, what + ".batch", 1)) s.batch = *b;
  if (NodeId n = r.find(at, "max_unavailable"); n != yaml::k_no_node)
    if (auto m = read_share(r, n, what + ".max_unavailable", 0)) s.max_unavailable = *m;
  if (NodeId n = r.find(at, "connect_timeout"); n != yaml::k_no_node) {
    auto t = r.duration(n, what + ".connect_timeout");
    if (t && t->count() <= 0) r.error(n, fmt::format("{}.connect_timeout must be longer than 0", what));
    else if (t) s.connect_timeout = *t;
  }
}

}  // namespace pushgate
