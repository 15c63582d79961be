#pragma once
// pushgated's life: lock the state folder, recover what a crash left, then
// wait (without polling) for jobs, clients, signals and finished workers.

#include <string>

namespace pushgate::daemon {

// Exit codes of pushgated, as its --help documents them.
enum class DaemonExit {
  stopped = 0,         // SIGTERM or SIGINT: running deploys were finished
  cannot_start = 2,    // invalid config, another pushgated holds the state folder or the socket
  failure = 3,         // an unexpected error (I/O, a bug): see the message
};

// Runs pushgated with the config `config_file` (empty: $PUSHGATE_DAEMON_CONFIG,
// else /etc/pushgate/pushgated.yaml or its defaults) until it is told to stop.
// Problems are reported on standard error.
DaemonExit run_daemon(const std::string& config_file);

}  // namespace pushgate::daemon
