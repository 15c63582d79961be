# shellcheck shell=bash disable=SC2034  # FLEET_* are read by the caller
# A fleet of OpenSSH servers on loopback ports, for the ssh deployer's
# end-to-end suites and benchmarks: N sshd (tests/support/loopback_sshd.sh),
# each with its own host key and its own empty target folder, all accepting
# one client key (the daemon's `identity:`), and one known_hosts file that
# names every host. Sourced, never run; the caller provides
# `die MESSAGE [CONTEXT...]`, which must not return.
#
#   start_loopback_fleet DIR N PIDS CANNOT_RUN   start N hosts (0 .. N-1)
#   fleet_host_hang I / fleet_host_resume I      SIGSTOP / SIGCONT host I's sshd and its sessions:
#                                                it accepts connections and then says nothing
#   fleet_host_down I / fleet_host_up I          stop host I (connections are refused) / start it
#                                                again on its port with its key
#   fleet_host_rekey I                           a new host key for host I (restarted): known_hosts
#                                                still holds the old one, so the key has changed
#   fleet_host_forget I                          remove host I from known_hosts: its key is unknown
#   fleet_host_setenv I [NAME=VALUE]             host I's sessions get NAME=VALUE (sshd SetEnv,
#                                                PATH included; none: back to sshd's own), restarted
#                                                on its port with its key
#   fleet_make_account NAME HOME                 (root) a new account NAME whose shell reads no rc
#                                                file, with an empty HOME; for FLEET_ACCOUNT
#   fleet_remove_account NAME                    removes it again; for cleanup
#   fleet_rc_files USER                          the rc files USER's shell reads for every remote
#                                                command (printed, one a line; none: nothing)
#   fleet_ssh I COMMAND...                       run COMMAND on host I with ssh, its key checked
#   stop_loopback_fleet                          end every host, hung ones too; for cleanup
#
# After start_loopback_fleet (0-based arrays):
#   FLEET_PORTS[I]     host I's port on 127.0.0.1
#   FLEET_DIRS[I]      host I's target folder (DIR/host-I/srv), empty
#   FLEET_PIDS[I]      host I's sshd (its pid is also added to the caller's PIDS)
#   FLEET_IDENTITY     the client's private key, mode 0600 (FLEET_IDENTITY.pub beside it)
#   FLEET_KNOWN_HOSTS  known_hosts naming each host as [127.0.0.1]:PORT
#   FLEET_USER         the account every host lets in with FLEET_IDENTITY: FLEET_ACCOUNT
#                      (environment) when set, which then owns the target folders; else the
#                      current one

# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/loopback_sshd.sh"

FLEET_PORTS=()
FLEET_DIRS=()
FLEET_PIDS=()
FLEET_ROOT=""
FLEET_CALLER_PIDS=""

# start_loopback_fleet DIR N PIDS CANNOT_RUN: DIR is created (mode 0700) and
# owned and removed by the caller; PIDS names the caller's array of pids to
# kill on exit; CANNOT_RUN is called with the reason when this machine cannot
# run sshd and must not return. The hosts start in parallel: 10 take about a
# second. Any other failure calls die with the host's sshd log.
start_loopback_fleet() {
  local dir=$1 count=$2 cannot_run=$4 i
  FLEET_CALLER_PIDS=$3
  loopback_sshd_require "$cannot_run"
  FLEET_ROOT=$dir
  FLEET_USER=${FLEET_ACCOUNT:-$(id -un)}
  FLEET_IDENTITY=$dir/identity
  FLEET_KNOWN_HOSTS=$dir/known_hosts
  FLEET_PORTS=()
  FLEET_DIRS=()
  FLEET_PIDS=()
  mkdir -p "$dir"
  chmod 700 "$dir"
  ssh-keygen -q -t ed25519 -N '' -C pushgated-fleet -f "$FLEET_IDENTITY" </dev/null || die "ssh-keygen (identity in $dir)"
  cp "$FLEET_IDENTITY.pub" "$dir/authorized_keys"
  # sshd reads authorized_keys as the account logging in, which then writes its target folder.
  if [[ $FLEET_USER != "$(id -un)" ]]; then chmod 711 "$dir" && chmod 644 "$dir/authorized_keys"; fi
  for ((i = 0; i < count; i++)); do
    mkdir -p "$dir/host-$i/srv"
    if [[ $FLEET_USER != "$(id -un)" ]]; then chmod 711 "$dir/host-$i" && chown "$FLEET_USER" "$dir/host-$i/srv"; fi
    ssh-keygen -q -t ed25519 -N '' -C "fleet-host-$i" -f "$dir/host-$i/host_key" </dev/null ||
      die "ssh-keygen (host key of host $i)"
    FLEET_DIRS[i]=$dir/host-$i/srv
    fleet_launch "$i" "$(free_port)" || die "no free TCP port on 127.0.0.1 for host $i"
  done
  # A host whose port was taken between free_port and sshd's bind tries another.
  for ((i = 0; i < count; i++)); do
    local tries=1
    until loopback_sshd_wait "$dir/host-$i" "${FLEET_PIDS[i]}"; do
      ((tries++ < 3)) || die "the sshd of host $i did not start (3 tries)" "$(cat "$dir/host-$i/sshd.log")"
      fleet_launch "$i" "$(free_port)"
    done
  done
  fleet_write_known_hosts
  fleet_check_login "$cannot_run"
}

# fleet_launch I PORT: starts host I's sshd on PORT without waiting for it.
fleet_launch() {
  local -n fleet_caller_pids=$FLEET_CALLER_PIDS
  local host=$FLEET_ROOT/host-$1
  [[ -n $2 ]] || return 1
  loopback_sshd_write_config "$host" "$2" "$FLEET_ROOT/authorized_keys" "$FLEET_USER"
  if [[ -f $host/sshd_extra ]]; then cat "$host/sshd_extra" >>"$host/sshd_config"; fi
  # Reaping its sessions, each host's sshd accounts for the CPU they used (benchmarks read it).
  loopback_sshd_launch "$host" reap
  FLEET_PORTS[$1]=$2
  FLEET_PIDS[$1]=$LOOPBACK_SSHD_PID
  fleet_caller_pids+=("$LOOPBACK_SSHD_PID")
}

# fleet_known_hosts_line I: host I's line for known_hosts.
fleet_known_hosts_line() {
  echo "[127.0.0.1]:${FLEET_PORTS[$1]} $(cut -d' ' -f1,2 "$FLEET_ROOT/host-$1/host_key.pub")"
}

fleet_write_known_hosts() {
  local i
  for i in "${!FLEET_PORTS[@]}"; do fleet_known_hosts_line "$i"; done >"$FLEET_KNOWN_HOSTS"
}

# fleet_ssh I COMMAND...: runs COMMAND on host I as FLEET_USER, checking its key.
fleet_ssh() {
  local host=$1 ssh_command
  shift
  loopback_ssh_command ssh_command "${FLEET_PORTS[host]}" "$FLEET_IDENTITY" "$FLEET_KNOWN_HOSTS"
  "${ssh_command[@]}" "$FLEET_USER@127.0.0.1" "$@" </dev/null
}

# fleet_check_login CANNOT_RUN: logs in to host 0, its key checked. The
# hosts differ only in port and host key, which sshd -t and its pid file have
# vouched for; one login (a few hundred ms on a busy machine) shows the
# account, the identity and known_hosts work for all.
fleet_check_login() {
  local ssh_command
  loopback_ssh_command ssh_command "${FLEET_PORTS[0]}" "$FLEET_IDENTITY" "$FLEET_KNOWN_HOSTS"
  loopback_sshd_login "$FLEET_ROOT/host-0/sshd.log" "$1" "${ssh_command[@]}" "$FLEET_USER@127.0.0.1"
}

# fleet_tree PID: PID and its descendants, parents first (sshd forks a
# process per connection, and sessions below it).
fleet_tree() {
  local child
  echo "$1"
  for child in $(ps -o pid= --ppid "$1" 2>/dev/null); do fleet_tree "$child"; done
}

fleet_signal_host() {
  local signal=$1 pid
  for pid in $(fleet_tree "${FLEET_PIDS[$2]}"); do kill "-$signal" "$pid" 2>/dev/null; done
}

fleet_host_hang() { fleet_signal_host STOP "$1"; }
fleet_host_resume() { fleet_signal_host CONT "$1"; }

fleet_host_down() {
  local pids
  pids=$(fleet_tree "${FLEET_PIDS[$1]}")
  # shellcheck disable=SC2086 # one pid a word
  kill -CONT $pids 2>/dev/null
  # shellcheck disable=SC2086
  kill -TERM $pids 2>/dev/null
  wait "${FLEET_PIDS[$1]}" 2>/dev/null
  return 0
}

fleet_host_up() {
  fleet_launch "$1" "${FLEET_PORTS[$1]}"
  loopback_sshd_wait "$FLEET_ROOT/host-$1" "${FLEET_PIDS[$1]}" ||
    die "host $1 did not start again on port ${FLEET_PORTS[$1]}" "$(tail -5 "$FLEET_ROOT/host-$1/sshd.log")"
}

fleet_host_rekey() {
  local key=$FLEET_ROOT/host-$1/host_key
  fleet_host_down "$1"
  rm -f "$key" "$key.pub"
  ssh-keygen -q -t ed25519 -N '' -C "fleet-host-$1-rekeyed" -f "$key" </dev/null || die "ssh-keygen (new host key of host $1)"
  fleet_host_up "$1"
}

fleet_host_forget() {
  local line
  line=$(fleet_known_hosts_line "$1")
  grep -vxF -- "$line" "$FLEET_KNOWN_HOSTS" >"$FLEET_KNOWN_HOSTS.new"
  mv "$FLEET_KNOWN_HOSTS.new" "$FLEET_KNOWN_HOSTS"
}

fleet_host_setenv() {
  if [[ -n ${2:-} ]]; then echo "SetEnv $2" >>"$FLEET_ROOT/host-$1/sshd_extra"; else rm -f "$FLEET_ROOT/host-$1/sshd_extra"; fi
  fleet_host_down "$1"
  fleet_host_up "$1"
}

fleet_make_account() {
  local name=$1 home=$2
  [[ $(id -u) == 0 ]] || die "fleet_make_account: only root can create account $name"
  useradd --no-create-home --home-dir "$home" --shell /bin/sh --user-group "$name" || die "useradd $name failed"
  # No password, but not locked ('!'): sshd refuses a locked account even a key login.
  usermod -p '*' "$name" || die "usermod -p '*' $name failed"
  mkdir -p "$home"
  chown "$name:" "$home"
  chmod 700 "$home"
}

fleet_remove_account() {
  id "$1" >/dev/null 2>&1 || return 0
  userdel -f "$1" 2>/dev/null || userdel "$1"
}

# Which files a non-interactive remote command reads: bash run by sshd reads
# /etc/bash.bashrc and ~/.bashrc, zsh ~/.zshenv; dash and others nothing.
fleet_rc_files() {
  local entry home shell
  entry=$(getent passwd "$1") || return 0
  home=$(cut -d: -f6 <<<"$entry")
  shell=$(basename "$(cut -d: -f7 <<<"$entry")")
  case $shell in
    bash) ls -d /etc/bash.bashrc "$home/.bashrc" 2>/dev/null ;;
    zsh) ls -d /etc/zsh/zshenv "$home/.zshenv" 2>/dev/null ;;
  esac
  return 0
}

stop_loopback_fleet() {
  local i
  for i in "${!FLEET_PIDS[@]}"; do fleet_host_down "$i"; done
}
