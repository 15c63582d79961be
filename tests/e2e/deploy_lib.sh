# shellcheck shell=bash disable=SC2034  # DAEMON_* and QUEUED_JOBS are read by the suites
# Push-to-deploy harness: a real pushgated whose config, spool, state and
# socket live in the suite's temporary folder, bare repositories whose hooks
# hand jobs to it, and checks on what it records and deploys. Source after
# lib.sh.
#
#   write_daemon_config WORKERS        pushgated.yaml (spool/ etc. beside it)
#   make_deploy_bare NAME              $E2E_SRV/NAME.git, hooks installed for this daemon
#   start_daemon / stop_daemon / kill_daemon
#   queued_jobs                        "ENV JOB" per job the last push queued
#   wait_for_final BARE ENV COMMIT JOB the job's final record (FINAL_STATUS)
#   wait_for_status BARE ENV COMMIT STATUS
#   assert_live DIR REPO COMMIT PATH   DIR/current holds exactly COMMIT:PATH

PUSHGATED=${PUSHGATED_BIN:-$PUSHGATE_BIN_DIR/pushgated}
[[ -x $PUSHGATED ]] || die "no pushgated at $PUSHGATED" "build the pushgated target, or set PUSHGATED_BIN"
pushgate() { "$PUSHGATE_BIN_DIR/pushgate" "$@"; }

DAEMON_DIR=$E2E_TMP/daemon
DAEMON_CFG=$DAEMON_DIR/pushgated.yaml
DAEMON_LOG=$DAEMON_DIR/pushgated.log
DAEMON_SPOOL=$DAEMON_DIR/spool   # the default: beside the config
DAEMON_PID=""
DAEMON_RC=""
DEPLOY_PROBE_REPO=""             # the repository start_daemon asks `pushgate status` about
mkdir -p "$DAEMON_DIR"

# The final statuses: each job ends with exactly one of them.
k_final_statuses='succeeded|failed|superseded|rolled-back'

# write_daemon_config WORKERS [WAIT_LIMIT]: spool/, state/ and the socket
# default to the config's folder; the daemon serves the suite's repositories.
write_daemon_config() {
  printf 'workers: %s\nwait_limit: %s\nrepositories: ["%s/*.git"]\n' "$1" "${2:-30s}" "$E2E_SRV" >"$DAEMON_CFG"
}

# make_deploy_bare NAME: creates $E2E_SRV/NAME.git with the hooks installed
# to hand jobs to this suite's daemon. The suite writes its pushgate.yaml.
make_deploy_bare() {
  local repo=$E2E_SRV/$1.git out
  out=$(git init -q --bare "$repo" 2>&1) || die "git init --bare $repo" "$out"
  out=$(pushgate install "$repo" --daemon-config "$DAEMON_CFG" 2>&1) ||
    die "pushgate install $repo --daemon-config exited $?" "$out"
  [[ -n $DEPLOY_PROBE_REPO ]] || DEPLOY_PROBE_REPO=$repo
}

# launch_daemon: starts pushgated in the background without waiting for it.
launch_daemon() {
  "$PUSHGATED" --config "$DAEMON_CFG" 2>>"$DAEMON_LOG" &
  DAEMON_PID=$!
  E2E_PIDS+=("$DAEMON_PID")
}

# daemon_answers: pushgated answers on its control socket.
daemon_answers() {
  pushgate status "$DEPLOY_PROBE_REPO" --daemon-config "$DAEMON_CFG" 2>/dev/null | grep -q 'is running'
}

# start_daemon: starts pushgated and waits (at most 10 s) until it answers.
start_daemon() {
  [[ -n $DEPLOY_PROBE_REPO ]] || die "start_daemon before make_deploy_bare"
  launch_daemon
  for _ in $(seq 200); do
    daemon_answers && return 0
    kill -0 "$DAEMON_PID" 2>/dev/null || die "pushgated exited at start" "$(tail -20 "$DAEMON_LOG")"
    sleep 0.05
  done
  die "pushgated does not answer" "$(tail -20 "$DAEMON_LOG")"
}

# stop_daemon: stops pushgated with SIGTERM; leaves its exit status in DAEMON_RC.
stop_daemon() {
  kill -TERM "$DAEMON_PID"
  wait "$DAEMON_PID"
  DAEMON_RC=$?
  e2e_forget_pid "$DAEMON_PID"
}

# kill_daemon: kills pushgated with SIGKILL, as a crash would.
kill_daemon() {
  kill -KILL "$DAEMON_PID" 2>/dev/null
  wait "$DAEMON_PID" 2>/dev/null
  e2e_forget_pid "$DAEMON_PID"
}

# queued_jobs: for each "queued deploy of C to ENV (job N)" line of the last
# push, prints "ENV N".
queued_jobs() {
  sed -nE 's/^remote: pushgate: queued deploy of [0-9a-f]+ to ([^ ]+) \(job ([0-9]+)\).*/\1 \2/p' <<<"$E2E_OUT"
}

# deploy_note BARE ENV COMMIT: the deploy note on COMMIT, or nothing.
deploy_note() {
  git --git-dir="$1" notes --ref="deploy/$2" show "$3" 2>/dev/null
}

# expect_note_says BARE ENV COMMIT TEXT: the deploy note on COMMIT contains TEXT.
expect_note_says() {
  if deploy_note "$1" "$2" "$3" | grep -qF -- "$4"; then
    pass "the note on ${3:0:7} says '$4'"
  else
    fail "the note on ${3:0:7} does not say '$4'" "$(deploy_note "$1" "$2" "$3")"
  fi
}

# final_records BARE ENV COMMIT JOB: the final records of job JOB on COMMIT.
final_records() {
  deploy_note "$1" "$2" "$3" | grep -E " status=($k_final_statuses) " | grep -E " job=$4( |\$)"
}

# wait_for_final BARE ENV COMMIT JOB [SECONDS]: waits (default 20 s) for the
# job's final record; sets FINAL_STATUS to its status ("" on time-out).
wait_for_final() {
  local tries=$((${5:-20} * 20)) line
  FINAL_STATUS=""
  for _ in $(seq "$tries"); do
    if line=$(final_records "$1" "$2" "$3" "$4" | head -n 1) && [[ -n $line ]]; then
      FINAL_STATUS=$(sed -nE 's/.* status=([^ ]+).*/\1/p' <<<"$line")
      return 0
    fi
    sleep 0.05
  done
  return 1
}

# wait_for_status BARE ENV COMMIT STATUS: waits (at most 15 s) for a STATUS
# record on COMMIT; passes or fails.
wait_for_status() {
  for _ in $(seq 300); do
    if deploy_note "$1" "$2" "$3" | grep -q " status=$4 "; then
      pass "${3:0:7} is recorded as $4 in $2"
      return 0
    fi
    sleep 0.05
  done
  fail "no status=$4 record on ${3:0:7} in $2" "note: $(deploy_note "$1" "$2" "$3")" \
    "daemon log:" "$(tail -20 "$DAEMON_LOG")"
  return 1
}

# expect_drifted_within BARE ENV COMMIT SINCE MAX WHAT: waits for COMMIT's
# `drifted` record in ENV, then checks it came at most MAX seconds after
# SINCE (a $SECONDS value); WHAT says what the bound allows for. Bounds are
# generous for a loaded machine: the point is an interval or a few, not a
# poll of minutes.
expect_drifted_within() {
  wait_for_status "$1" "$2" "$3" drifted
  local found_after=$((SECONDS - $4))
  check "found after ${found_after} s, $6 (at most $5 s)" test "$found_after" -le "$5"
}

# spool_idle: no job waits or runs. A job file that also has a done/ copy is
# finished (the spool's rule: done/ wins; a finish cut off by a crash leaves
# the old copy).
spool_idle() {
  local file
  for file in "$DAEMON_SPOOL"/new/* "$DAEMON_SPOOL"/active/*; do
    [[ -e $file && ! -e $DAEMON_SPOOL/done/${file##*/} ]] && return 1
  done
  return 0
}

# wait_spool_idle SECONDS: waits until no job waits or runs.
wait_spool_idle() {
  for _ in $(seq $(($1 * 20))); do
    spool_idle && return 0
    sleep 0.05
  done
  return 1
}

# write_site DEV CONTENT: under deploy/prod of clone DEV, a manifest, a page
# holding CONTENT, an executable script and a symlink to the page.
write_site() {
  manifest_deployment web | write_file "$1" deploy/prod/web.yaml
  printf '<h1>%s</h1>\n' "$2" | write_file "$1" deploy/prod/site/index.html
  printf '#!/bin/sh\necho %s\n' "$2" | write_file "$1" deploy/prod/bin/start
  chmod +x "$1/deploy/prod/bin/start"
  ln -sfn site/index.html "$1/deploy/prod/index.html"
}

# tree_listing DIR: what a folder holds, for comparing: one line per entry
# (type, executable bit, symlink target), then a checksum per file.
tree_listing() {
  (
    cd "$1/" || exit 1
    find . -mindepth 1 \( -type l -printf 'l %p -> %l\n' \) -o \( -type d -printf 'd %p\n' \) \
      -o \( -type f -perm -u+x -printf 'x %p\n' \) -o \( -type f -printf 'f %p\n' \) -o -printf '? %p\n' | sort
    find . -type f -print0 | sort -z | xargs -0 -r sha1sum
  )
}

# tree_of_commit REPO COMMIT PATH: tree_listing of COMMIT:PATH (the whole tree
# when PATH is empty), as `git archive` writes it.
tree_of_commit() {
  local dir
  dir=$(mktemp -d "$E2E_TMP/archive.XXXXXX") || return 1
  git -C "$1" archive "$2${3:+:$3}" | tar -x -C "$dir" || return 1
  tree_listing "$dir"
  rm -rf "$dir"
}

# assert_live DIR REPO COMMIT PATH: DIR/current is a symlink to a release that
# holds exactly COMMIT:PATH of REPO, nothing more and nothing less.
assert_live() {
  local dir=$1 what="the live release in ${1##*/} is exactly ${3:0:7}'s ${4:-tree}" diff
  if ! [[ -L $dir/current ]]; then
    fail "$what: $dir/current is not a symlink" "$(ls -la "$dir" 2>&1)"
  elif diff=$(diff <(tree_of_commit "$2" "$3" "$4") <(tree_listing "$dir/current") 2>&1); then
    pass "$what"
  else
    fail "$what: it differs (< expected, > live)" "$diff"
  fi
}

# live_commit DIR: the commit of the release DIR/current points to, from the
# release's name (its 12 hex digits), or nothing.
live_commit() {
  local target
  target=$(readlink "$1/current" 2>/dev/null) || return 0
  sed -nE 's/^releases\/[0-9T]+Z-([0-9a-f]{12})-j[0-9]+.*/\1/p' <<<"$target"
}

# assert_fsck BARE: `git fsck --strict` finds nothing wrong.
assert_fsck() {
  local out rc
  out=$(git --git-dir="$1" fsck --strict --no-progress 2>&1)
  rc=$?
  # Dangling objects are no fault: a push that lost the race for its ref
  # leaves them, and so does a lost compare-and-swap on a notes ref.
  if ((rc == 0)) && ! grep -qiE '^(error|missing|broken|warning|bad)' <<<"$out"; then
    pass "git fsck --strict is clean in ${1##*/}"
  else
    fail "git fsck --strict in ${1##*/} exits $rc" "$out"
  fi
}

# expect_notes_readable DEV COMMIT JOB_PATTERN: in the clone DEV, after
# fetching refs/notes/*, plain `git log --notes='deploy/*'` shows a succeeded
# record of COMMIT for a job matching JOB_PATTERN, and `git notes show` of
# deploy-log/production holds the deploy's log.
expect_notes_readable() {
  local dev=$1 commit=$2 job=$3 out notes log_note
  out=$(timeout 60 git -C "$dev" fetch -q origin 'refs/notes/*:refs/notes/*' 2>&1) || fail "git fetch of the notes" "$out"
  notes=$(git -C "$dev" log -1 --notes='deploy/*' "$commit" 2>&1)
  if grep -qE "^    [0-9T:-]+Z env=production status=succeeded job=$job .*pusher=" <<<"$notes"; then
    pass "git log --notes='deploy/*' shows the succeeded record"
  else
    fail "git log --notes='deploy/*' shows no succeeded record" "$notes"
  fi
  if grep -q "^Notes (deploy/production):" <<<"$notes"; then
    pass "git log names the notes ref deploy/production"
  else
    fail "git log does not name the notes ref deploy/production" "$notes"
  fi
  log_note=$(git -C "$dev" notes --ref=deploy-log/production show "$commit" 2>&1)
  if grep -q "deploying ${commit:0:7} to production" <<<"$log_note"; then
    pass "git notes show has the deploy's log"
  else
    fail "the deploy-log note lacks the log" "$log_note"
  fi
}
