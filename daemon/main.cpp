// pushgated: the deploy daemon. See daemon/daemon.hpp.

#include <CLI/CLI.hpp>

#include <string>

#include "core/jobs/control_protocol.hpp"
#include "core/git/git.hpp"
#include "daemon/daemon.hpp"

int main(int argc, char** argv) {
  CLI::App app{
      "pushgated: deploys what pushgate's post-receive hook queues.\n\n"
      "Runs in the foreground (systemd: Type=simple) and logs one line per event to\n"
      "standard error. It takes jobs from the spool as soon as they are written,\n"
      "deploys one at a time per environment and up to `workers` environments at\n"
      "once, and records each outcome as a git note on the deployed commit.\n\n"
      "Its control socket answers status, deploy, rollback and follow requests. The\n"
      "pushgate CLI queues `deploy` and `rollback` jobs in the spool itself and follows\n"
      "them (--wait, `log --follow`) through the socket; `pushgate status` reads the\n"
      "notes and the spool, and asks the socket only whether pushgated runs.\n\n"
      "It deploys only repositories that repositories: in pushgated.yaml names, and\n"
      "takes from a job file only its repository and environment: the commit is the\n"
      "environment branch's tip, the pusher the job file's owner (or SO_PEERCRED).\n\n"
      "Signals: SIGTERM/SIGINT finish the running deploys, then exit; SIGHUP reloads\n"
      "the config (workers, wait_limit, repositories, connections_per_user); a changed\n"
      "spool, state or socket is refused until pushgated restarts.\n\n"
      "Exit status: 0 stopped by SIGTERM or SIGINT; 2 cannot start as configured\n"
      "(invalid config, or another pushgated holds the state folder or answers on the\n"
      "socket); 3 unexpected failure (see the message)",
      "pushgated"};
  std::string config;
  app.add_option("-c,--config", config,
                 "pushgated.yaml to use (default: $PUSHGATE_DAEMON_CONFIG, else "
                 "/etc/pushgate/pushgated.yaml, else built-in defaults)");
  app.set_version_flag("--version", "pushgated " + std::string(pushgate::k_pushgate_version));
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : static_cast<int>(pushgate::daemon::DaemonExit::cannot_start);
  }
  pushgate::git::Library git;
  // pushgated runs as its own account and deploys repositories that others
  // own (the git account's, shared with the pushers' group): it opens only
  // those pushgated.yaml names, after checking their hooks folder and
  // pushgate.yaml. libgit2's owner check would refuse them all (and misreads
  // safe.directory=*).
  git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0);
  return static_cast<int>(pushgate::daemon::run_daemon(config));
}
