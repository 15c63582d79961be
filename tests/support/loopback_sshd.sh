# shellcheck shell=bash disable=SC2034  # SSH_URL and SSH_DIR are read by the caller
# A private OpenSSH sshd on a loopback port, for the ssh:// end-to-end suites
# (tests/e2e/servers.sh) and bench/push_overhead.sh. Sourced, never run; the
# caller provides `die MESSAGE [CONTEXT...]`, which must not return.

# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/loopback_ports.sh"

# loopback_sshd_pid_file_holds FILE PID: sshd writes its pid file only once it listens.
loopback_sshd_pid_file_holds() { [[ -s $1 && $(<"$1") == "$2" ]]; }

# loopback_sshd_require CANNOT_RUN: sshd, ssh and ssh-keygen are here, or
# CANNOT_RUN says what to install; as root, sshd's privilege separation
# folder exists.
loopback_sshd_require() {
  [[ -x /usr/sbin/sshd ]] || "$1" "no OpenSSH server at /usr/sbin/sshd (Debian: apt-get install openssh-server)"
  command -v ssh >/dev/null || "$1" "no ssh client (Debian: apt-get install openssh-client)"
  command -v ssh-keygen >/dev/null || "$1" "no ssh-keygen (Debian: apt-get install openssh-client)"
  if [[ $(id -u) == 0 ]]; then mkdir -p /run/sshd; fi
}

# loopback_sshd_login LOG CANNOT_RUN SSH_COMMAND... DESTINATION: logs in once
# with SSH_COMMAND and runs `true`. sshd refuses some accounts whatever the
# key (a locked password, a nologin shell): then this machine cannot run sshd
# for us (CANNOT_RUN). Any other refusal is the set-up's fault: die with
# ssh's output and sshd's LOG.
loopback_sshd_login() {
  local log=$1 cannot_run=$2 out
  shift 2
  if ! out=$(timeout 30 "$@" true 2>&1 </dev/null); then
    if grep -q 'not allowed because' "$log"; then
      "$cannot_run" "sshd will not let $(id -un) log in here: $(grep 'not allowed because' "$log" | head -n 1)"
    fi
    die "cannot log in through the sshd of $log (${*: -1})" "$out" "$(cat "$log")"
  fi
}

# loopback_ssh_command ARRAY PORT IDENTITY KNOWN_HOSTS: sets ARRAY to an ssh
# command line for 127.0.0.1:PORT that logs in with IDENTITY only and accepts
# only a host key listed in KNOWN_HOSTS. -F /dev/null keeps the user's ssh
# config out; ControlMaster=no makes each connection do its own handshake, as
# a real client's does.
loopback_ssh_command() {
  local -n loopback_ssh_argv=$1
  loopback_ssh_argv=(ssh -F /dev/null -p "$2" -i "$3" -o IdentitiesOnly=yes
    -o "UserKnownHostsFile=$4" -o GlobalKnownHostsFile=/dev/null
    -o StrictHostKeyChecking=yes -o BatchMode=yes -o ConnectTimeout=10 -o ControlMaster=no)
}

# loopback_sshd_write_config DIR PORT AUTHORIZED_KEYS USERS: DIR/sshd_config
# for an sshd on 127.0.0.1:PORT with host key DIR/host_key, its pid file and
# log in DIR, letting USERS (space-separated) log in with a key listed in
# AUTHORIZED_KEYS, and serving SFTP in-process (deployers write files with it).
loopback_sshd_write_config() {
  local dir=$1 port=$2 authorized=$3 users=$4
  cat >"$dir/sshd_config" <<CONFIG
Port $port
ListenAddress 127.0.0.1
HostKey $dir/host_key
PidFile $dir/sshd.pid
AuthorizedKeysFile $authorized
AllowUsers $users
StrictModes no
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
X11Forwarding no
AllowTcpForwarding no
PrintMotd no
Subsystem sftp internal-sftp
LogLevel VERBOSE
CONFIG
}

# loopback_sshd_launch DIR [reap]: checks DIR/sshd_config and starts sshd with
# it in the background, logging to DIR/sshd.log; sets LOOPBACK_SSHD_PID, which
# the caller must kill on exit. Calls die when sshd rejects the configuration.
# With `reap`, sshd is the subreaper of its sessions (prctl, through python3):
# a non-root account's session outlives the sshd process that would wait for
# it, and its CPU time then adds to sshd's (cutime, cstime), not init's.
loopback_sshd_launch() {
  local dir=$1 out reaper=()
  out=$(/usr/sbin/sshd -t -f "$dir/sshd_config" 2>&1) || die "sshd rejects the configuration $dir/sshd_config" "$out"
  rm -f "$dir/sshd.pid"
  if [[ ${2:-} == reap ]]; then
    reaper=(python3 -c 'import ctypes, os, sys; ctypes.CDLL(None).prctl(36, 1, 0, 0, 0); os.execv(sys.argv[1], sys.argv[1:])')
  fi
  "${reaper[@]}" /usr/sbin/sshd -D -f "$dir/sshd_config" -E "$dir/sshd.log" &
  LOOPBACK_SSHD_PID=$!
}

# loopback_sshd_wait DIR PID: waits (at most 10 s) until sshd PID, launched
# from DIR, listens; fails when it has exited (its port was taken).
loopback_sshd_wait() { wait_until_listening "$2" loopback_sshd_pid_file_holds "$1/sshd.pid" "$2"; }

# start_loopback_sshd DIR PIDS CANNOT_RUN [ENV_NAME...]: runs /usr/sbin/sshd
# on a free port of 127.0.0.1 with its own host key, accepting one new client
# key for the current user, and exports GIT_SSH_COMMAND so that ssh (and git)
# log in with that key and verify that host key, never accepting an unknown
# one. Sets SSH_URL (ssh://USER@127.0.0.1:PORT) and SSH_DIR (DIR).
#   DIR         folder for keys, config, known_hosts and sshd.log; created,
#               owned and removed by the caller
#   PIDS        name of the caller's array that gets sshd's pid: the caller
#               kills it on exit
#   CANNOT_RUN  function called with the reason when this machine cannot run
#               sshd (missing programs, an account sshd refuses); must not return
#   ENV_NAME    variables the client sends and the server accepts (SendEnv,
#               AcceptEnv), so git on both ends sees the same settings
# LOOPBACK_SSHD_USERS (environment): further accounts that may log in with
# the same key, for suites that push as other users; their git reads
# safe.directory=* from sshd's SetEnv, as they have no home of their own.
# Any other failure (sshd will not start, rejects its configuration, or
# refuses the login) calls die with sshd's log.
start_loopback_sshd() {
  local dir=$1 cannot_run=$3 user name
  local -n loopback_sshd_pids=$2
  local env_names=("${@:4}")
  for name in "${env_names[@]}"; do
    [[ $name =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || die "start_loopback_sshd: '$name' is not a variable name"
  done
  loopback_sshd_require "$cannot_run"
  user=$(id -un)
  mkdir -p "$dir"
  chmod 700 "$dir"
  ssh-keygen -q -t ed25519 -N '' -C loopback-host -f "$dir/host_key" </dev/null || die "ssh-keygen (host key in $dir)"
  ssh-keygen -q -t ed25519 -N '' -C loopback-client -f "$dir/client_key" </dev/null || die "ssh-keygen (client key in $dir)"
  cp "$dir/client_key.pub" "$dir/authorized_keys"
  # sshd reads the keys as the account logging in; the private keys stay 0600.
  if [[ -n ${LOOPBACK_SSHD_USERS:-} ]]; then chmod 711 "$dir" && chmod 644 "$dir/authorized_keys"; fi

  local port log=$dir/sshd.log
  for _ in 1 2 3; do
    port=$(free_port) || die "no free TCP port on 127.0.0.1 for sshd"
    loopback_sshd_write_config "$dir" "$port" "$dir/authorized_keys" "$user ${LOOPBACK_SSHD_USERS:-}"
    if ((${#env_names[@]} > 0)); then echo "AcceptEnv ${env_names[*]}" >>"$dir/sshd_config"; fi
    if [[ -n ${LOOPBACK_SSHD_USERS:-} ]]; then
      echo 'SetEnv GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=safe.directory GIT_CONFIG_VALUE_0=*' >>"$dir/sshd_config"
    fi
    loopback_sshd_launch "$dir"
    loopback_sshd_pids+=("$LOOPBACK_SSHD_PID")
    # The port may have been taken since free_port: then sshd exits, and we
    # try another.
    loopback_sshd_wait "$dir" "$LOOPBACK_SSHD_PID" || continue

    echo "[127.0.0.1]:$port $(cut -d' ' -f1,2 "$dir/host_key.pub")" >"$dir/known_hosts"
    local ssh_command
    loopback_ssh_command ssh_command "$port" "$dir/client_key" "$dir/known_hosts"
    for name in "${env_names[@]}"; do ssh_command+=(-o "SendEnv=$name"); done
    GIT_SSH_COMMAND=$(printf '%q ' "${ssh_command[@]}")
    export GIT_SSH_COMMAND
    SSH_URL=ssh://$user@127.0.0.1:$port
    SSH_DIR=$dir
    loopback_sshd_login "$log" "$cannot_run" "${ssh_command[@]}" "$user@127.0.0.1"
    return 0
  done
  die "sshd did not start (3 tries)" "$(cat "$log")"
}
