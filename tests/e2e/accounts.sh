# shellcheck shell=bash
# Real accounts for the trust-boundary suites: source after lib.sh (and
# deploy_lib.sh where a daemon is needed). Needs root, which CI is; elsewhere
# the suite skips saying so.
#
#   E2E_DAEMON_USER   runs pushgated; owns the spool, state and socket
#   E2E_PUSHER        a pusher: in E2E_GROUP, the repositories' group
#   E2E_OUTSIDER      a local account in no group of pushgate's
#   E2E_OWNER         owns the repositories (the "git" account of a server)
#   as_user USER CMD...   runs CMD as USER with its own HOME under $E2E_TMP
#   control USER JSON...  requests on the control socket $SOCK as USER
#   trusted_daemon_layout DIR, shared_repository BARE: pushgated's and a
#                         repository's files as an administrator sets them up
#
# The accounts are made once per machine (useradd --system) and kept: users
# cannot be removed while a process of theirs may still run, and another
# suite may be using them.

[[ $(id -u) == 0 ]] || skip "the trust suites create real accounts and switch to them; run as root (CI does)"
command -v runuser >/dev/null || skip "runuser (util-linux) is missing"

E2E_GROUP=pgteam
E2E_DAEMON_USER=pgdaemon
E2E_PUSHER=pgpusher
E2E_PUSHER2=pgpusher2
E2E_OUTSIDER=pgoutsider
E2E_OWNER=pggit

e2e_make_accounts() {
  getent group "$E2E_GROUP" >/dev/null || groupadd --system "$E2E_GROUP" 2>/dev/null ||
    getent group "$E2E_GROUP" >/dev/null || die "groupadd $E2E_GROUP failed"
  local user groups
  for user in "$E2E_OWNER" "$E2E_DAEMON_USER" "$E2E_PUSHER" "$E2E_PUSHER2" "$E2E_OUTSIDER"; do
    groups=$E2E_GROUP
    [[ $user == "$E2E_OUTSIDER" ]] && groups=""
    if ! id "$user" >/dev/null 2>&1; then
      useradd --system --no-create-home --home-dir /nonexistent --shell /bin/sh \
        ${groups:+--groups "$groups"} "$user" 2>/dev/null || id "$user" >/dev/null 2>&1 ||
        die "useradd $user failed"
    fi
    # No password, but not locked either ('!'): sshd refuses a locked account
    # even a key login, and the ssh:// cases log in as these accounts.
    [[ $(getent shadow "$user" | cut -d: -f2) == '*' ]] || usermod -p '*' "$user" || die "usermod -p '*' $user failed"
  done
}
e2e_make_accounts

# Other accounts must reach the suite's folders: the temporary folder is made
# 0700 by mktemp.
chmod 0755 "$E2E_TMP" "$E2E_SRV" "$E2E_WORK"
[[ -d $E2E_TMP/bin ]] && chmod 0755 "$E2E_TMP/bin"

# as_user USER CMD...: CMD as USER, with a HOME of its own (git identity set,
# and safe.directory for the suite's repositories, which other accounts own).
as_user() {
  local user=$1 home=$E2E_TMP/home-$1
  shift
  if [[ ! -d $home ]]; then
    mkdir -p "$home"
    HOME=$home git config --global user.name "$user"
    HOME=$home git config --global user.email "$user@example.invalid"
    HOME=$home git config --global init.defaultBranch main
    HOME=$home git config --global safe.directory '*'
    chown -R "$user" "$home"
  fi
  runuser -u "$user" -- env HOME="$home" XDG_CONFIG_HOME="$home/.config" \
    GIT_AUTHOR_NAME="$user" GIT_AUTHOR_EMAIL="$user@example.invalid" \
    GIT_COMMITTER_NAME="$user" GIT_COMMITTER_EMAIL="$user@example.invalid" "$@"
}

# as_user_push USER CLONE [git-push arguments...]: `push` as USER.
as_user_push() {
  local user=$1 clone=$2
  shift 2
  E2E_OUT=$(as_user "$user" timeout -k 5 60 git -C "$clone" push "$@" 2>&1)
  E2E_RC=$?
}

# control USER REQUEST-JSON...: sends each request on its own connection as
# USER to the control socket $SOCK (with python3 at $PY) and prints every
# reply line (the last one of a follow, too).
control() {
  local user=$1
  shift
  local script='
import socket, sys
for req in sys.argv[2:]:
    s = socket.socket(socket.AF_UNIX)
    s.settimeout(10)
    s.connect(sys.argv[1])
    s.sendall(req.encode() + b"\n")
    data = b""
    while True:
        chunk = s.recv(65536)
        if not chunk: break
        data += chunk
    sys.stdout.write(data.decode())
'
  if [[ $user == root ]]; then
    "$PY" -c "$script" "$SOCK" "$@"
  else
    runuser -u "$user" -- "$PY" -c "$script" "$SOCK" "$@"
  fi
}

# trusted_daemon_layout DIR: the administrator's layout for a pushgated that
# runs as E2E_DAEMON_USER, under DIR: the spool shared with the pushers' group,
# the socket folder only readable by it, both owned by the daemon's account;
# state/, deploy/ and etc/pushgated.yaml serving $E2E_SRV/*.git. Sets T, ETC,
# CFG, SPOOL, RUN, SOCK, DAEMON_CFG, DAEMON_SPOOL and DAEMON_LOG.
trusted_daemon_layout() {
  T=$1
  ETC=$T/etc
  CFG=$ETC/pushgated.yaml
  SPOOL=$T/spool
  RUN=$T/run
  SOCK=$RUN/pushgated.sock
  mkdir -p "$ETC" "$T/deploy"
  chmod 0755 "$T" "$ETC" "$T/deploy"
  install -d -o "$E2E_DAEMON_USER" -g "$E2E_GROUP" -m 2770 "$SPOOL"
  install -d -o "$E2E_DAEMON_USER" -g "$E2E_GROUP" -m 2750 "$RUN"
  install -d -o "$E2E_DAEMON_USER" -m 0755 "$T/state"
  printf 'spool: %s\nstate: %s\nsocket: %s\nworkers: 2\nwait_limit: 20s\nrepositories: ["%s/*.git"]\n' \
    "$SPOOL" "$T/state" "$SOCK" "$E2E_SRV" >"$CFG"
  DAEMON_CFG=$CFG
  DAEMON_SPOOL=$SPOOL
  DAEMON_LOG=$T/pushgated.log
  touch "$DAEMON_LOG"
  chmod 0666 "$DAEMON_LOG"
}

# shared_repository BARE: a bare repository owned by E2E_OWNER, shared with
# E2E_GROUP, its hooks installed by E2E_OWNER for the daemon of $CFG; the
# harness (root) may read it.
shared_repository() {
  local out
  chown "$E2E_OWNER:$E2E_GROUP" "$E2E_SRV"
  chmod 2775 "$E2E_SRV"
  as_user "$E2E_OWNER" git init -q --bare --shared=group "$1" || die "git init --shared=group $1"
  out=$(as_user "$E2E_OWNER" "$PUSHGATE_BIN_DIR/pushgate" install "$1" --daemon-config "$CFG" 2>&1) ||
    die "pushgate install as $E2E_OWNER" "$out"
  chmod go-w "$1/hooks"
  git config --global --add safe.directory "$1"
}
