# shellcheck shell=bash
# Harness for the end-to-end suites: each suite sources this file, then pushes
# with real git into bare repositories that `pushgate install` has set up.
#
# Environment (set by ctest, see tests/CMakeLists.txt):
#   PUSHGATE_BIN_DIR        folder holding pushgate, pushgate-pre-receive and
#                           pushgate-post-receive (an installed bin/ works too)
#   PUSHGATE_PRE_RECEIVE_BIN, PUSHGATE_POST_RECEIVE_BIN
#                           the hook binaries, when the build tree keeps them
#                           apart from pushgate: they are then copied next to it
#                           in a private bin/, the layout `cmake --install` makes
#   E2E_KEEP=1              keep the suite's temporary folder for inspection
#
# Every check prints "ok - ..." or "FAIL - ..." with context; the suite ends
# with `finish`, which prints "N passed, M failed" and exits 0 only when
# nothing failed. A suite that cannot run here calls `skip REASON` (exit 77).
#
# lib.sh also sources fixtures.sh (manifests, checks shared by transports);
# network suites source servers.sh (git daemon, sshd) after it.

set -u -o pipefail
# `printf ... | check_something` runs check_something in this shell, so the
# passes and failures it records count.
shopt -s lastpipe

E2E_SUITE=$(basename "${BASH_SOURCE[1]:-e2e}" .sh)
E2E_PASSED=0
E2E_FAILED=0
E2E_CASE=""
E2E_PIDS=()
E2E_OUT=""   # output of the last push
E2E_RC=0     # exit status of the last push

E2E_TMP=$(mktemp -d "${TMPDIR:-/tmp}/pushgate-e2e-${E2E_SUITE}.XXXXXX") || {
  echo "$E2E_SUITE: cannot create a temporary folder" >&2
  exit 1
}
E2E_SRV=$E2E_TMP/srv     # bare repositories ("the server")
E2E_WORK=$E2E_TMP/work   # clones ("the developers")
mkdir -p "$E2E_SRV" "$E2E_WORK" "$E2E_TMP/home"

# e2e_at_exit COMMAND: run COMMAND (eval'd) when the suite exits, before the
# cleanup; the suite's exit status stays its own whatever COMMAND returns.
E2E_AT_EXIT=()
e2e_at_exit() { E2E_AT_EXIT+=("$1"); }

e2e_cleanup() {
  local rc=$? pid command
  for command in "${E2E_AT_EXIT[@]}"; do eval "$command" || true; done
  # A process the suite stopped (SIGSTOP: a hung host) sees the TERM only once continued.
  for pid in "${E2E_PIDS[@]}"; do kill "$pid" 2>/dev/null && kill -CONT "$pid" 2>/dev/null; done
  for pid in "${E2E_PIDS[@]}"; do wait "$pid" 2>/dev/null; done
  if [[ -n ${E2E_KEEP:-} ]]; then
    echo "kept $E2E_TMP"
  else
    rm -rf "$E2E_TMP"
  fi
  exit "$rc"
}
trap e2e_cleanup EXIT

# e2e_forget_pid PID: PID has ended and been waited for. Its number may soon
# belong to another process (pid_max can be 32768), which the cleanup must
# not kill.
e2e_forget_pid() {
  local keep=() pid
  for pid in "${E2E_PIDS[@]}"; do [[ $pid == "$1" ]] || keep+=("$pid"); done
  E2E_PIDS=("${keep[@]}")
}
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- reporting

# Names the scenario that the following checks belong to.
test_case() {
  E2E_CASE=$*
  echo "--- $E2E_CASE"
}

pass() {
  E2E_PASSED=$((E2E_PASSED + 1))
  echo "ok - ${E2E_CASE:+$E2E_CASE: }$*"
}

# fail WHAT [CONTEXT...]: records a failed check; the context (command output,
# ref values) is printed indented below it.
fail() {
  E2E_FAILED=$((E2E_FAILED + 1))
  echo "FAIL - ${E2E_CASE:+$E2E_CASE: }$1"
  shift
  local c
  for c in "$@"; do printf '%s\n' "$c" | sed 's/^/    | /'; done
}

# Passes or fails WHAT on the exit status of the remaining arguments (a command).
check() {
  local what=$1
  shift
  if "$@"; then pass "$what"; else fail "$what" "command failed: $*"; fi
}

# The harness itself cannot go on (a set-up step failed): report and stop.
die() {
  E2E_CASE=""
  fail "harness: $1" "${@:2}"
  finish
}

# The suite cannot run on this machine: say why and exit 77 (ctest: skipped).
skip() {
  echo "SKIP: $E2E_SUITE: $*"
  exit 77
}

# Prints the final tally and exits 0 only when nothing failed.
finish() {
  echo "$E2E_PASSED passed, $E2E_FAILED failed"
  if ((E2E_FAILED > 0 || E2E_PASSED == 0)); then exit 1; fi
  exit 0
}

# ---------------------------------------------------------------- isolation

# Git sees neither the user's nor the system's configuration, nor any
# repository this script happens to run inside (ctest, or a hook).
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_OBJECT_DIRECTORY GIT_ALTERNATE_OBJECT_DIRECTORIES \
  GIT_QUARANTINE_PATH GIT_NAMESPACE GIT_CONFIG GIT_CONFIG_PARAMETERS GIT_CONFIG_COUNT \
  GIT_CONFIG_GLOBAL GIT_CEILING_DIRECTORIES GIT_SSH GIT_SSH_COMMAND GIT_SSH_VARIANT \
  GIT_PROXY_COMMAND GIT_ASKPASS SSH_ASKPASS GIT_EXEC_PATH GIT_TEMPLATE_DIR GIT_PUSH_OPTION_COUNT
export HOME=$E2E_TMP/home
export XDG_CONFIG_HOME=$HOME/.config
export GIT_CONFIG_NOSYSTEM=1
export GIT_TERMINAL_PROMPT=0
export LC_ALL=C
export GIT_AUTHOR_NAME="E2E Pusher" GIT_AUTHOR_EMAIL="pusher@example.invalid"
export GIT_COMMITTER_NAME="E2E Pusher" GIT_COMMITTER_EMAIL="pusher@example.invalid"
git config --global user.name "E2E Pusher"
git config --global user.email "pusher@example.invalid"
git config --global init.defaultBranch main
git config --global color.ui false
git config --global advice.detachedHead false
git config --global core.autocrlf false
git config --global commit.gpgsign false
git config --global tag.gpgsign false

# ---------------------------------------------------------------- binaries

e2e_find_binaries() {
  local dir=${PUSHGATE_BIN_DIR:-} name
  [[ -n $dir ]] || die "PUSHGATE_BIN_DIR is not set" \
    "run the suites through ctest, or set PUSHGATE_BIN_DIR to the folder holding pushgate and its hooks"
  [[ -x $dir/pushgate ]] || die "no executable $dir/pushgate"
  if [[ -x $dir/pushgate-pre-receive && -x $dir/pushgate-post-receive ]]; then
    PUSHGATE_BIN_DIR=$(cd "$dir" && pwd)
    return
  fi
  # The build tree keeps the hooks in another folder: give pushgate the
  # installed layout, where the hooks sit next to it.
  local pre=${PUSHGATE_PRE_RECEIVE_BIN:-} post=${PUSHGATE_POST_RECEIVE_BIN:-}
  [[ -x $pre && -x $post ]] || die "the hook binaries are neither in $dir nor named by PUSHGATE_PRE_RECEIVE_BIN and PUSHGATE_POST_RECEIVE_BIN"
  mkdir -p "$E2E_TMP/bin"
  for name in "$dir/pushgate" "$pre" "$post"; do
    cp "$name" "$E2E_TMP/bin/" || die "cannot copy $name"
  done
  PUSHGATE_BIN_DIR=$E2E_TMP/bin
}
e2e_find_binaries
export PUSHGATE_BIN_DIR

# ---------------------------------------------------------------- repositories

# make_bare NAME [git-init options...]: creates $E2E_SRV/NAME.git and runs
# `pushgate install` on it; stops the suite if that does not work.
make_bare() {
  local name=$1 repo=$E2E_SRV/$1.git out
  shift
  out=$(git init -q --bare "$@" "$repo" 2>&1) || die "git init --bare $repo" "$out"
  out=$("$PUSHGATE_BIN_DIR/pushgate" install "$repo" 2>&1) || die "pushgate install $repo exited $?" "$out"
  local hook
  for hook in pre-receive post-receive; do
    [[ -x $repo/hooks/$hook ]] || die "pushgate install did not write an executable hooks/$hook" "$out"
  done
  [[ $(git --git-dir="$repo" config --bool receive.advertisePushOptions) == true ]] ||
    die "pushgate install did not set receive.advertisePushOptions=true" "$out"
}

# make_clone URL NAME: clones URL into $E2E_WORK/NAME (an empty repository
# clones fine); stops the suite on failure.
make_clone() {
  local out
  out=$(timeout 60 git clone -q "$1" "$E2E_WORK/$2" 2>&1) || die "git clone $1" "$out"
}

# write_file CLONE PATH: writes standard input to PATH inside CLONE.
write_file() {
  mkdir -p "$(dirname "$1/$2")" && cat >"$1/$2"
}

# commit_all CLONE MESSAGE: commits every change in CLONE.
commit_all() {
  local out
  out=$(git -C "$1" add -A 2>&1 && git -C "$1" commit -q --allow-empty -m "$2" 2>&1) ||
    die "commit in $1" "$out"
}

# rev CLONE_OR_BARE REV: prints the object id REV names there, or nothing.
rev() {
  git -C "$1" rev-parse -q --verify "$2^{object}" 2>/dev/null
}

# ---------------------------------------------------------------- pushing

# push CLONE [git-push arguments...]: pushes from CLONE, leaving the combined
# output in E2E_OUT and the exit status in E2E_RC. A push that hangs is killed.
push() {
  local clone=$1
  shift
  E2E_OUT=$(timeout -k 5 60 git -C "$clone" push "$@" 2>&1)
  E2E_RC=$?
}

e2e_crash_signs() {
  grep -E 'Segmentation fault|core dumped|died of signal|terminate called|\<Aborted\>|stack smashing|AddressSanitizer' <<<"$E2E_OUT"
}

# expect_push_ok CLONE [git-push arguments...]: the push is accepted.
expect_push_ok() {
  push "$@"
  local what="push accepted (git push ${*:2})"
  if ((E2E_RC != 0)); then
    fail "$what: exit $E2E_RC" "$E2E_OUT"
  elif e2e_crash_signs >/dev/null; then
    fail "$what: but the output shows a crash" "$E2E_OUT"
  else
    pass "$what"
  fi
}

# expect_push_rejected EXPECTED... -- CLONE [git-push arguments...]: the push
# fails, and for each EXPECTED a `remote: ` line shows it. A rule id
# (yaml.* or k8s.*) must appear as "[rule]"; anything else as written.
expect_push_rejected() {
  local expected=()
  while (($# > 0)) && [[ $1 != -- ]]; do expected+=("$1"); shift; done
  shift
  push "$@"
  local what="push rejected with ${expected[*]} (git push ${*:2})" e pattern missing=()
  local remote
  remote=$(grep '^remote: ' <<<"$E2E_OUT")
  for e in "${expected[@]}"; do
    if [[ $e =~ ^(yaml|k8s)\.[a-z0-9-]+$ ]]; then pattern="[$e]"; else pattern=$e; fi
    grep -qF -- "$pattern" <<<"$remote" || missing+=("$pattern")
  done
  if ((E2E_RC == 0)); then
    fail "$what: the push was accepted" "$E2E_OUT"
  elif [[ $E2E_RC == 124 || $E2E_RC == 137 ]]; then
    fail "$what: the push timed out" "$E2E_OUT"
  elif e2e_crash_signs >/dev/null; then
    fail "$what: the output shows a crash" "$E2E_OUT"
  elif ((${#missing[@]} > 0)); then
    fail "$what: no remote: line shows ${missing[*]}" "$E2E_OUT"
  else
    pass "$what"
  fi
}

# expect_remote_line ERE: some `remote: ` line of the last push matches ERE
# (matched after the prefix; git pads remote lines with trailing blanks).
expect_remote_line() {
  if grep '^remote: ' <<<"$E2E_OUT" | sed 's/^remote: //' | grep -qE -- "$1"; then
    pass "a remote: line matches /$1/"
  else
    fail "no remote: line matches /$1/" "$E2E_OUT"
  fi
}

# assert_ref_equals BARE REF OID: REF in the bare repository is OID.
assert_ref_equals() {
  local actual
  actual=$(git --git-dir="$1" rev-parse -q --verify "$2" 2>/dev/null)
  if [[ $actual == "$3" ]]; then
    pass "$2 is ${3:0:12} on the server"
  else
    fail "$2 on the server is '${actual:-missing}', expected $3" \
      "$(git --git-dir="$1" for-each-ref 2>&1)"
  fi
}

# assert_ref_missing BARE REF: REF does not exist in the bare repository.
assert_ref_missing() {
  local actual
  if actual=$(git --git-dir="$1" rev-parse -q --verify "$2" 2>/dev/null); then
    fail "$2 exists on the server ($actual), expected none" "$(git --git-dir="$1" for-each-ref 2>&1)"
  else
    pass "$2 is absent on the server"
  fi
}

# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/fixtures.sh"
