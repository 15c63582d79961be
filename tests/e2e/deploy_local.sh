#!/usr/bin/env bash
# Push to deploy: real pushes over file:// into a bare repository whose hooks
# hand jobs to a real pushgated, which deploys with the local deployer into a
# temporary folder. Checks what lands, the notes as plain git shows them,
# rollback on a failing health check, pushes while the daemon is stopped,
# `git push -o pushgate.wait`, and `pushgate status`, `deploy`, `rollback`, `log`.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PUSHGATED=${PUSHGATED_BIN:-$PUSHGATE_BIN_DIR/pushgated}
[[ -x $PUSHGATED ]] || die "no pushgated at $PUSHGATED" "build the pushgated target, or set PUSHGATED_BIN"
command -v python3 >/dev/null || skip "python3 is needed to read pushgate status --json"
pushgate() { "$PUSHGATE_BIN_DIR/pushgate" "$@"; }

# ---------------------------------------------------------------- set-up

daemon_dir=$E2E_TMP/daemon
target=$E2E_TMP/target/app
mkdir -p "$daemon_dir" "$E2E_TMP/target"
cfg=$daemon_dir/pushgated.yaml
daemon_log=$daemon_dir/pushgated.log
# spool/, state/ and the socket default to this folder.
printf 'workers: 2\nwait_limit: 30s\n' >"$cfg"

# The health check is administrator-configured; this one fails while the
# release holds a file named BROKEN.
health=$E2E_TMP/health-check
printf '#!/bin/sh\ntest ! -e "$PUSHGATE_RELEASE_DIR/BROKEN"\n' >"$health"
chmod +x "$health"

bare=$E2E_SRV/app.git
git init -q --bare "$bare" || die "git init --bare"
out=$(pushgate install "$bare" --daemon-config "$cfg" 2>&1) || die "pushgate install --daemon-config exited $?" "$out"
cat >"$bare/pushgate.yaml" <<EOF
environments:
  production:
    branch: main
    path: deploy/prod
    deployer:
      type: local
      dir: $target
      keep_releases: 3
    health: {command: ["$health"], timeout: 5s, retries: 1, interval: 100ms}
EOF

make_clone "file://$bare" dev
dev=$E2E_WORK/dev

DAEMON_PID=""
# Starts pushgated in the background and waits until it answers.
start_daemon() {
  "$PUSHGATED" --config "$cfg" 2>>"$daemon_log" &
  DAEMON_PID=$!
  E2E_PIDS+=("$DAEMON_PID")
  for _ in $(seq 100); do
    if pushgate status "$bare" --daemon-config "$cfg" 2>/dev/null | grep -q 'is running'; then return 0; fi
    kill -0 "$DAEMON_PID" 2>/dev/null || die "pushgated exited at start" "$(tail -20 "$daemon_log")"
    sleep 0.05
  done
  die "pushgated does not answer" "$(tail -20 "$daemon_log")"
}

# Stops pushgated with SIGTERM; leaves its exit status in DAEMON_RC.
stop_daemon() {
  kill -TERM "$DAEMON_PID"
  wait "$DAEMON_PID"
  DAEMON_RC=$?
}

# deploy_note COMMIT: the deploy note on COMMIT in the server repository.
deploy_note() {
  git --git-dir="$bare" notes --ref=deploy/production show "$1" 2>/dev/null
}

# wait_for_status COMMIT STATUS: waits (at most 15 s) for a STATUS record on COMMIT.
wait_for_status() {
  for _ in $(seq 300); do
    if deploy_note "$1" | grep -q "status=$2"; then
      pass "${1:0:7} is recorded as $2"
      return 0
    fi
    sleep 0.05
  done
  fail "no status=$2 record on ${1:0:7}" "note: $(deploy_note "$1")" "daemon log:" "$(tail -20 "$daemon_log")"
  return 1
}

# assert_live COMMIT: DIR/current holds exactly COMMIT's deploy/prod subtree.
assert_live() {
  local expect=$E2E_TMP/expect-$1
  rm -rf "$expect"
  mkdir -p "$expect"
  git -C "$dev" archive "$1:deploy/prod" | tar -x -C "$expect"
  local diff
  if ! [[ -L $target/current ]]; then
    fail "$target/current is not a symlink" "$(ls -la "$target" 2>&1)"
  elif diff=$(diff -r "$expect" "$target/current/" 2>&1); then
    pass "the live release is exactly ${1:0:7}'s deploy/prod"
  else
    fail "the live release differs from ${1:0:7}'s deploy/prod" "$diff"
  fi
}

# status_field PYTHON-EXPRESSION: evaluates it on `pushgate status --json`'s production entry (e).
status_field() {
  pushgate status "$bare" production --json --daemon-config "$cfg" |
    python3 -c "import json,sys; s=json.load(sys.stdin); e=s['environments'][0]; print($1)"
}

# commit_release CONTENT [BROKEN]: a commit with a valid manifest, a page
# holding CONTENT, a file outside the deployed subtree, and BROKEN if asked.
commit_release() {
  manifest_deployment web | write_file "$dev" deploy/prod/web.yaml
  printf '<h1>%s</h1>\n' "$1" | write_file "$dev" deploy/prod/site/index.html
  printf 'not deployed\n' | write_file "$dev" README
  if [[ ${2:-} == BROKEN ]]; then : | write_file "$dev" deploy/prod/BROKEN; else rm -f "$dev/deploy/prod/BROKEN"; fi
  commit_all "$dev" "$1"
  rev "$dev" HEAD
}

check "pushgated --help documents its exit status" bash -c "'$PUSHGATED' --help | grep -q 'Exit status'"
start_daemon

# ---------------------------------------------------------------- scenarios

test_case "a push is queued and deployed"
c1=$(commit_release one)
expect_push_ok "$dev" origin main
expect_remote_line "^pushgate: queued deploy of ${c1:0:7} to production \(job [0-9]+\)"
wait_for_status "$c1" succeeded && assert_live "$c1"
check "nothing outside deploy/prod is deployed" test ! -e "$target/current/README"

test_case "the notes are readable with plain git"
out=$(git -C "$dev" fetch -q origin 'refs/notes/*:refs/notes/*' 2>&1) || fail "git fetch of the notes" "$out"
notes=$(git -C "$dev" log -1 --notes='deploy/*' "$c1" 2>&1)
if grep -qE "^    [0-9T:-]+Z env=production status=succeeded job=[0-9]+ .*pusher=" <<<"$notes"; then
  pass "git log --notes='deploy/*' shows the record"
else
  fail "git log --notes='deploy/*' shows no succeeded record" "$notes"
fi
log_note=$(git -C "$dev" notes --ref=deploy-log/production show "$c1" 2>&1)
if grep -q "deploying ${c1:0:7} to production" <<<"$log_note"; then
  pass "git notes show has the deploy's log"
else
  fail "the deploy-log note lacks the log" "$log_note"
fi

test_case "git push -o pushgate.wait streams the deploy and its outcome"
c2=$(commit_release two)
expect_push_ok "$dev" -o pushgate.wait origin main
expect_remote_line "^\[production\] pushgate: deploying ${c2:0:7} to production"
expect_remote_line "^pushgate: production: succeeded"
assert_live "$c2"

test_case "a failing health check rolls back to the previous release"
c3=$(commit_release three BROKEN)
expect_push_ok "$dev" -o pushgate.wait origin main
expect_remote_line "^pushgate: production: rolled-back"
wait_for_status "$c3" rolled-back
assert_live "$c2"
live=$(status_field "e['live']['commit']")
check "pushgate status --json names ${c2:0:7} as live" test "$live" = "$c2"

test_case "pushgate rollback brings back the previous successful release"
out=$(pushgate rollback "$bare" production --wait --daemon-config "$cfg" 2>&1)
check "pushgate rollback --wait exits 0" test $? = 0
grep -q "rolled-back" <<<"$out" || fail "pushgate rollback does not say rolled-back" "$out"
assert_live "$c1"
check "pushgate status --json names ${c1:0:7} as live" test "$(status_field "e['live']['commit']")" = "$c1"

test_case "pushgate deploy makes a chosen commit live"
out=$(pushgate deploy "$bare" production "$c2" --wait --daemon-config "$cfg" 2>&1)
check "pushgate deploy --wait exits 0" test $? = 0
assert_live "$c2"
out=$(pushgate deploy "$bare" production no-such-rev --daemon-config "$cfg" 2>&1)
check "an unknown revision is a usage error (exit 2)" test $? = 2

test_case "pushes while pushgated is stopped are deployed when it starts"
stop_daemon
check "pushgated exits 0 on SIGTERM" test "$DAEMON_RC" = 0
c4=$(commit_release four)
expect_push_ok "$dev" origin main
expect_remote_line "pushgated is not running; the deploy starts when it does"
c5=$(commit_release five)
expect_push_ok "$dev" origin main
waiting=$(status_field "len(e['waiting'])")
check "pushgate status shows 2 waiting jobs while it is down" test "$waiting" = 2
start_daemon
wait_for_status "$c5" succeeded && assert_live "$c5"
wait_for_status "$c4" superseded
check "the superseded record names the newer commit" bash -c "git --git-dir='$bare' notes --ref=deploy/production show $c4 | grep -q superseded_by=${c5:0:12}"

test_case "a second pushgated refuses to start"
"$PUSHGATED" --config "$cfg" 2>"$E2E_TMP/second.log"
rc=$?
check "it exits 2" test "$rc" = 2
check "it says another pushgated runs" grep -q 'another pushgated' "$E2E_TMP/second.log"

test_case "pushgate log prints the newest attempt's log"
out=$(pushgate log "$bare" production 2>&1)
if grep -q "deploying ${c5:0:7} to production" <<<"$out"; then pass "the log of ${c5:0:7} is shown"; else fail "pushgate log" "$out"; fi

test_case "the server repository stays sound"
out=$(git --git-dir="$bare" fsck --no-progress 2>&1)
check "git fsck exits 0" test $? = 0
if grep -qiE 'error|missing|broken' <<<"$out"; then fail "git fsck reports problems" "$out"; else pass "git fsck is clean"; fi
stop_daemon
check "pushgated stopped cleanly" test "$DAEMON_RC" = 0

finish
