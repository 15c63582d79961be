#pragma once
// pushgated.yaml: the per-server daemon settings, read by pushgated and by
// everything that hands it work (hooks, CLI).

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace pushgate {

struct DaemonConfig {
  std::filesystem::path spool;   // job spool (core/spool.hpp)
  std::filesystem::path state;   // releases of command deployers, daemon lock
  std::filesystem::path socket;  // control socket
  unsigned workers = 4;          // environments deployed in parallel
  std::chrono::milliseconds wait_limit{600'000};  // longest `-o pushgate.wait` follow
  // `repositories:` the git directories pushgated deploys: absolute paths or
  // globs (`/srv/git/*.git`). None named: it deploys nothing.
  std::vector<std::string> repositories;
  std::filesystem::path source;  // the file read; empty for built-in defaults
};

inline constexpr const char* k_default_daemon_config = "/etc/pushgate/pushgated.yaml";

// Reads `file`. Relative paths in it, and the defaults of keys it leaves out,
// are taken relative to the file's folder (spool/, state/, pushgated.sock),
// except for the system file, whose defaults are /var/spool/pushgate,
// /var/lib/pushgate and /run/pushgate/pushgated.sock: so a config in a
// temporary folder works for a non-root user as the system one does for root.
// Errors are ErrorCode::config with file:line:col.
Expected<DaemonConfig> load_daemon_config(const std::filesystem::path& file);

// True when `git_dir` (as repo_identity gives it) is one of the
// repositories `config` names.
bool serves_repository(const DaemonConfig& config, const std::string& git_dir);

// The config to use: `explicit_file` if given, else $PUSHGATE_DAEMON_CONFIG,
// else the system file (its defaults if it does not exist).
Expected<DaemonConfig> find_daemon_config(const std::string& explicit_file);

}  // namespace pushgate
