#!/usr/bin/env bash
# Push to deploy: real pushes over file:// into a bare repository whose hooks
# hand jobs to a real pushgated, which deploys with the local deployer into a
# temporary folder. Checks what lands, the notes as plain git shows them,
# rollback on a failing health check, pushes while the daemon is stopped,
# `git push -o pushgate.wait`, and `pushgate status`, `deploy`, `rollback`, `log`.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/deploy_lib.sh"

command -v python3 >/dev/null || skip "python3 is needed to read pushgate status --json"

# ---------------------------------------------------------------- set-up

target=$E2E_TMP/target/app
mkdir -p "$E2E_TMP/target"
cfg=$DAEMON_CFG
write_daemon_config 2 30s

# The health check is administrator-configured; this one fails while the
# release holds a file named BROKEN.
health=$E2E_TMP/health-check
printf '#!/bin/sh\ntest ! -e "$PUSHGATE_RELEASE_DIR/BROKEN"\n' >"$health"
chmod +x "$health"

make_deploy_bare app
bare=$E2E_SRV/app.git
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

# wait_for_prod COMMIT STATUS: waits for a STATUS record on COMMIT in production.
wait_for_prod() { wait_for_status "$bare" production "$1" "$2"; }

# assert_prod_live COMMIT: production's current release holds exactly COMMIT's deploy/prod.
assert_prod_live() { assert_live "$target" "$bare" "$1" deploy/prod; }

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
wait_for_prod "$c1" succeeded && assert_prod_live "$c1"
check "nothing outside deploy/prod is deployed" test ! -e "$target/current/README"

test_case "the notes are readable with plain git"
expect_notes_readable "$dev" "$c1" '[0-9]+'

test_case "git push -o pushgate.wait streams the deploy and its outcome"
c2=$(commit_release two)
expect_push_ok "$dev" -o pushgate.wait origin main
expect_remote_line "^\[production\] pushgate: deploying ${c2:0:7} to production"
expect_remote_line "^pushgate: production: succeeded"
assert_prod_live "$c2"

test_case "a failing health check rolls back to the previous release"
c3=$(commit_release three BROKEN)
expect_push_ok "$dev" -o pushgate.wait origin main
expect_remote_line "^pushgate: production: rolled-back"
wait_for_prod "$c3" rolled-back
assert_prod_live "$c2"
live=$(status_field "e['live']['commit']")
check "pushgate status --json names ${c2:0:7} as live" test "$live" = "$c2"

test_case "pushgate rollback brings back the previous successful release"
out=$(pushgate rollback "$bare" production --wait --daemon-config "$cfg" 2>&1)
check "pushgate rollback --wait exits 0" test $? = 0
grep -q "rolled-back" <<<"$out" || fail "pushgate rollback does not say rolled-back" "$out"
if grep -qE "^pushgate: queued rollback of production to the previous successful release \(job [0-9]+\)" <<<"$out"; then
  pass "pushgate rollback says what it queued"
else
  fail "pushgate rollback does not say what it queued" "$out"
fi
assert_prod_live "$c1"
check "pushgate status --json names ${c1:0:7} as live" test "$(status_field "e['live']['commit']")" = "$c1"

test_case "pushgate deploy makes a chosen commit live"
out=$(pushgate deploy "$bare" production "$c2" --wait --daemon-config "$cfg" 2>&1)
check "pushgate deploy --wait exits 0" test $? = 0
if grep -qE "^pushgate: queued deploy of ${c2:0:7} to production \(job [0-9]+\)" <<<"$out"; then
  pass "pushgate deploy says what it queued"
else
  fail "pushgate deploy does not say what it queued" "$out"
fi
assert_prod_live "$c2"
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
wait_for_prod "$c5" succeeded && assert_prod_live "$c5"
wait_for_prod "$c4" superseded
check "the superseded record names the newer commit" bash -c "git --git-dir='$bare' notes --ref=deploy/production show $c4 | grep -q superseded_by=${c5:0:12}"

test_case "a second pushgated refuses to start"
"$PUSHGATED" --config "$cfg" 2>"$E2E_TMP/second.log"
rc=$?
check "it exits 2" test "$rc" = 2
check "it says another pushgated runs" grep -q 'another pushgated' "$E2E_TMP/second.log"

test_case "pushgate log prints the newest attempt's log"
out=$(pushgate log "$bare" production 2>&1)
if grep -q "deploying ${c5:0:7} to production" <<<"$out"; then pass "the log of ${c5:0:7} is shown"; else fail "pushgate log" "$out"; fi
out=$(pushgate log "$bare" nope 2>&1)
check "pushgate log of an unknown environment is a usage error (exit 2)" test $? = 2
if grep -q "no environment 'nope' (known: production)" <<<"$out"; then
  pass "it names the known environments"
else
  fail "pushgate log of an unknown environment does not name the known ones" "$out"
fi
out=$(pushgate log "$bare" production no-such-rev 2>&1)
check "pushgate log of an unknown revision is a usage error (exit 2)" test $? = 2

test_case "the server repository stays sound"
assert_fsck "$bare"
stop_daemon
check "pushgated stopped cleanly" test "$DAEMON_RC" = 0

finish
