#include "core/config/daemon_config.hpp"

#include <fmt/format.h>

#include <unistd.h>

#include <cstdlib>
#include <system_error>

#include "core/config/config_reader.hpp"
#include "core/util/glob.hpp"
#include "core/util/trusted_file.hpp"

namespace pushgate {

namespace fs = std::filesystem;

namespace {

constexpr unsigned k_max_workers = 256;
constexpr unsigned k_max_connections_per_user = 1024;

bool is_system_file(const fs::path& file) {
  return file.lexically_normal() == fs::path(k_default_daemon_config);
}

// Where everything goes when the config does not say: the FHS folders for
// the system file, else next to the file, so a config written into a
// temporary folder needs no root and no further keys.
DaemonConfig defaults_for(const fs::path& file) {
  DaemonConfig config;
  if (file.empty() || is_system_file(file)) {
    config.spool = "/var/spool/pushgate";
    config.state = "/var/lib/pushgate";
    config.socket = "/run/pushgate/pushgated.sock";
  } else {
    fs::path base = file.parent_path();
    config.spool = base / "spool";
    config.state = base / "state";
    config.socket = base / "pushgated.sock";
  }
  config.source = file;
  return config;
}

void read_path(ConfigReader& r, yaml::NodeId root, const char* key, const fs::path& base, fs::path& out) {
  yaml::NodeId n = r.find(root, key);
  if (n == yaml::k_no_node) return;
  auto value = r.string(n, key);
  if (!value) return;
  if (value->empty()) {
    r.error(n, fmt::format("{} must name a path", key));
    return;
  }
  out = (base / *value).lexically_normal();
}

}  // namespace

ConfigTrust ConfigTrust::for_daemon() { return {::geteuid(), ::geteuid()}; }

ConfigTrust ConfigTrust::for_repository(const fs::path& git_dir) {
  auto owner = owner_of(git_dir);
  return {::geteuid(), owner ? *owner : ::geteuid()};
}

Expected<DaemonConfig> load_daemon_config(const fs::path& file, const ConfigTrust& trust) {
  std::error_code ec;
  fs::path absolute = fs::absolute(file, ec).lexically_normal();
  if (ec) return Error{ErrorCode::io, fmt::format("cannot locate '{}': {}", file.string(), ec.message())};
  // It names the spool the hooks write to and the repositories the daemon
  // deploys: another account able to change it could redirect both.
  auto read = read_trusted_file(absolute, {trust.self, trust.repo_owner});
  if (!read) return read.error();
  if (read->missing) return Error{ErrorCode::io, fmt::format("cannot read '{}': it does not exist", absolute.string())};
  const std::string& text = read->text;

  DaemonConfig config = defaults_for(absolute);
  ConfigReader r(text, absolute.string());
  yaml::NodeId root = r.root();
  if (root != yaml::k_no_node && r.mapping(root, "the top level")) {
    r.only_keys(root, "the top level",
                {"spool", "state", "socket", "workers", "wait_limit", "repositories", "connections_per_user"});
    fs::path base = absolute.parent_path();
    read_path(r, root, "spool", base, config.spool);
    read_path(r, root, "state", base, config.state);
    read_path(r, root, "socket", base, config.socket);
    if (yaml::NodeId n = r.find(root, "workers"); n != yaml::k_no_node)
      if (auto w = r.integer(n, "workers", 1, k_max_workers)) config.workers = static_cast<unsigned>(*w);
    if (yaml::NodeId n = r.find(root, "connections_per_user"); n != yaml::k_no_node)
      if (auto c = r.integer(n, "connections_per_user", 1, k_max_connections_per_user))
        config.connections_per_user = static_cast<unsigned>(*c);
    if (yaml::NodeId n = r.find(root, "wait_limit"); n != yaml::k_no_node)
      if (auto d = r.duration(n, "wait_limit")) config.wait_limit = *d;
    if (yaml::NodeId n = r.find(root, "repositories"); n != yaml::k_no_node)
      if (auto list = r.string_list(n, "repositories")) {
        for (const std::string& entry : *list) {
          if (entry.empty()) {
            r.error(n, "repositories: an entry is empty; name a git directory or a glob such as /srv/git/*.git");
            continue;
          }
          // Relative entries are taken from the config's folder, like spool: and state:.
          std::string pattern = (absolute.parent_path() / entry).lexically_normal().string();
          while (pattern.size() > 1 && pattern.ends_with('/')) pattern.pop_back();
          config.repositories.push_back(std::move(pattern));
        }
      }
  }
  if (!r.ok()) return r.failure();
  return config;
}

bool serves_repository(const DaemonConfig& config, const std::string& git_dir) {
  std::string dir = git_dir;
  while (dir.size() > 1 && dir.ends_with('/')) dir.pop_back();
  for (const std::string& pattern : config.repositories)
    if (pattern == dir || Glob(pattern).matches(dir)) return true;
  return false;
}

Expected<DaemonConfig> find_daemon_config(const std::string& explicit_file, const ConfigTrust& trust,
                                          ConfigSearch search) {
  if (!explicit_file.empty()) return load_daemon_config(explicit_file, trust);
  if (search == ConfigSearch::argument_environment_system)
    if (const char* from_env = std::getenv("PUSHGATE_DAEMON_CONFIG"); from_env && *from_env)
      return load_daemon_config(from_env, trust);
  std::error_code ec;
  if (fs::exists(k_default_daemon_config, ec)) return load_daemon_config(k_default_daemon_config, trust);
  return defaults_for({});
}

}  // namespace pushgate
