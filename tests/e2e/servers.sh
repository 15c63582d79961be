# shellcheck shell=bash disable=SC2034  # SSH_URL and friends are read by the suites
# Servers on loopback ports for the network suites: git daemon and OpenSSH's
# sshd, each started from the suite's temporary folder and stopped when the
# suite exits. Source after lib.sh.

# free_port: prints a TCP port on 127.0.0.1 that nothing listens on right now
# (a connection to it is refused). The servers retry with another port if one
# is taken between this probe and their bind.
free_port() {
  local port
  for _ in $(seq 200); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
  return 1
}

# wait_for_port PORT PID: waits (at most 10 s) until 127.0.0.1:PORT accepts
# connections; fails early when process PID has exited.
wait_for_port() {
  for _ in $(seq 200); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.05
  done
  return 1
}

# start_git_daemon: serves $E2E_SRV over git:// with receive-pack enabled and
# sets GIT_DAEMON_URL (git://127.0.0.1:PORT).
start_git_daemon() {
  local port pid log=$E2E_TMP/git-daemon.log
  for _ in 1 2 3; do
    port=$(free_port) || die "no free TCP port for git daemon"
    git daemon --reuseaddr --listen=127.0.0.1 --port="$port" --base-path="$E2E_SRV" \
      --export-all --enable=receive-pack --informative-errors "$E2E_SRV" >>"$log" 2>&1 &
    pid=$!
    E2E_PIDS+=("$pid")
    if wait_for_port "$port" "$pid"; then
      GIT_DAEMON_URL=git://127.0.0.1:$port
      return
    fi
  done
  die "git daemon did not start" "$(cat "$log")"
}

# start_sshd: runs OpenSSH's sshd on a loopback port with its own host key,
# accepting one client key for the current user, and exports GIT_SSH_COMMAND
# so that git verifies that host key (never accepts an unknown one). Sets
# SSH_URL (ssh://USER@127.0.0.1:PORT). Skips the suite when sshd is missing.
start_sshd() {
  local sshd=/usr/sbin/sshd dir=$E2E_TMP/ssh user
  [[ -x $sshd ]] || skip "no OpenSSH server at $sshd (Debian: apt-get install openssh-server)"
  command -v ssh >/dev/null || skip "no ssh client (Debian: apt-get install openssh-client)"
  command -v ssh-keygen >/dev/null || skip "no ssh-keygen"
  user=$(id -un)
  mkdir -p "$dir"
  chmod 700 "$dir"
  ssh-keygen -q -t ed25519 -N '' -C e2e-host -f "$dir/host_key" || die "ssh-keygen (host key)"
  ssh-keygen -q -t ed25519 -N '' -C e2e-client -f "$dir/client_key" || die "ssh-keygen (client key)"
  cp "$dir/client_key.pub" "$dir/authorized_keys"
  # As root, sshd separates privileges and needs its empty chroot folder.
  if [[ $(id -u) == 0 ]]; then mkdir -p /run/sshd; fi

  local port pid log=$dir/sshd.log
  for _ in 1 2 3; do
    port=$(free_port) || die "no free TCP port for sshd"
    cat >"$dir/sshd_config" <<EOF
Port $port
ListenAddress 127.0.0.1
HostKey $dir/host_key
PidFile $dir/sshd.pid
AuthorizedKeysFile $dir/authorized_keys
AllowUsers $user
StrictModes no
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
X11Forwarding no
AllowTcpForwarding no
PrintMotd no
LogLevel VERBOSE
EOF
    local out
    out=$("$sshd" -t -f "$dir/sshd_config" 2>&1) || die "sshd rejects the test configuration" "$out"
    "$sshd" -D -f "$dir/sshd_config" -E "$log" &
    pid=$!
    E2E_PIDS+=("$pid")
    if wait_for_port "$port" "$pid"; then
      echo "[127.0.0.1]:$port $(cut -d' ' -f1,2 "$dir/host_key.pub")" >"$dir/known_hosts"
      local ssh_command=(ssh -F /dev/null -p "$port" -i "$dir/client_key" -o IdentitiesOnly=yes
        -o "UserKnownHostsFile=$dir/known_hosts" -o GlobalKnownHostsFile=/dev/null
        -o StrictHostKeyChecking=yes -o BatchMode=yes -o ConnectTimeout=10)
      GIT_SSH_COMMAND=$(printf '%q ' "${ssh_command[@]}")
      export GIT_SSH_COMMAND
      SSH_URL=ssh://$user@127.0.0.1:$port
      SSH_DIR=$dir
      # sshd refuses some accounts whatever the key (a locked password, a
      # nologin shell): then this machine cannot run the suite. Any other
      # refusal is the harness's fault.
      if ! out=$(timeout 30 "${ssh_command[@]}" "$user@127.0.0.1" true 2>&1); then
        if grep -q 'not allowed because' "$log"; then
          skip "sshd will not let $user log in here: $(grep 'not allowed because' "$log" | head -n 1)"
        fi
        die "cannot log in as $user through the test sshd" "$out" "$(cat "$log")"
      fi
      return
    fi
  done
  die "sshd did not start" "$(cat "$log")"
}
