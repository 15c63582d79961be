# shellcheck shell=bash disable=SC2034  # GIT_DAEMON_URL is read by the suites
# Servers on loopback ports for the network suites: git daemon and OpenSSH's
# sshd, each started from the suite's temporary folder and stopped when the
# suite exits. Source after lib.sh. The ports and sshd come from
# tests/support/, which bench/push_overhead.sh shares.

# shellcheck source-path=SCRIPTDIR/../support
source "$(dirname "${BASH_SOURCE[0]}")/../support/loopback_ports.sh"
# shellcheck source-path=SCRIPTDIR/../support
source "$(dirname "${BASH_SOURCE[0]}")/../support/loopback_sshd.sh"

# start_git_daemon: serves $E2E_SRV over git:// with receive-pack enabled and
# sets GIT_DAEMON_URL (git://127.0.0.1:PORT).
start_git_daemon() {
  local port pid log
  for _ in 1 2 3; do
    port=$(free_port) || die "no free TCP port for git daemon"
    log=$E2E_TMP/git-daemon-$port.log
    # --verbose: "Ready to rumble" in the log says it has bound the port.
    git daemon --verbose --reuseaddr --listen=127.0.0.1 --port="$port" --base-path="$E2E_SRV" \
      --export-all --enable=receive-pack --informative-errors "$E2E_SRV" >>"$log" 2>&1 &
    pid=$!
    E2E_PIDS+=("$pid")
    if wait_until_listening "$pid" grep -q "Ready to rumble" "$log"; then
      GIT_DAEMON_URL=git://127.0.0.1:$port
      return
    fi
  done
  die "git daemon did not start" "$(cat "$log")"
}

# start_sshd: runs OpenSSH's sshd on a loopback port in $E2E_TMP/ssh (see
# start_loopback_sshd): exports GIT_SSH_COMMAND, which verifies its host key,
# and sets SSH_URL (ssh://USER@127.0.0.1:PORT) and SSH_DIR. Skips the suite
# when sshd cannot run here.
start_sshd() {
  start_loopback_sshd "$E2E_TMP/ssh" E2E_PIDS skip
}
