#pragma once
// pushgated.yaml: the per-server daemon settings, read by pushgated and by
// everything that hands it work (hooks, CLI).

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "core/util/error.hpp"

namespace pushgate {

struct DaemonConfig {
  std::filesystem::path spool;   // job spool (core/jobs/spool.hpp)
  std::filesystem::path state;   // releases of command deployers, daemon lock
  std::filesystem::path socket;  // control socket
  unsigned workers = 4;          // environments deployed in parallel
  std::chrono::milliseconds wait_limit{600'000};  // longest `-o pushgate.wait` follow
  // `repositories:` the git directories pushgated deploys: absolute paths or
  // globs (`/srv/git/*.git`). None named: it deploys nothing.
  std::vector<std::string> repositories;
  // `connections_per_user:` control-socket connections one account may hold
  // at once, so one account cannot lock the others out.
  unsigned connections_per_user = 8;
  std::filesystem::path source;  // the file read; empty for built-in defaults
};

inline constexpr const char* k_default_daemon_config = "/etc/pushgate/pushgated.yaml";

// Whose pushgated.yaml is believed, besides root's (core/util/trusted_file.hpp:
// owned by one of them, writable by nobody else). The daemon believes only
// its own account's file; a hook or the CLI acting on a repository also the
// repository owner's, since that account installed the hooks.
struct ConfigTrust {
  uid_t self;
  uid_t repo_owner;
  static ConfigTrust for_daemon();
  // The owner of `git_dir`; when it cannot be read, only the caller's own account.
  static ConfigTrust for_repository(const std::filesystem::path& git_dir);
};

// Reads `file` if `trust` believes it. Relative paths in it, and the defaults of keys it leaves out,
// are taken relative to the file's folder (spool/, state/, pushgated.sock),
// except for the system file, whose defaults are /var/spool/pushgate,
// /var/lib/pushgate and /run/pushgate/pushgated.sock: so a config in a
// temporary folder works for a non-root user as the system one does for root.
// Errors are ErrorCode::config with file:line:col, or naming the file's
// owner and mode when it is not trusted.
Expected<DaemonConfig> load_daemon_config(const std::filesystem::path& file, const ConfigTrust& trust);

// True when `git_dir` (as repo_identity gives it) is one of the
// repositories `config` names.
bool serves_repository(const DaemonConfig& config, const std::string& git_dir);

// Where find_daemon_config looks. Hooks never read $PUSHGATE_DAEMON_CONFIG:
// a pusher sets the environment of a push over file://.
enum class ConfigSearch { argument_environment_system, argument_system };

// The config to use: `explicit_file` if given, else $PUSHGATE_DAEMON_CONFIG
// (unless `search` leaves it out), else the system file (its defaults if it
// does not exist).
Expected<DaemonConfig> find_daemon_config(const std::string& explicit_file, const ConfigTrust& trust,
                                          ConfigSearch search = ConfigSearch::argument_environment_system);

}  // namespace pushgate
