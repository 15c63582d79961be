#!/usr/bin/env bash
# Push to deploy over ssh://: real pushes through OpenSSH's sshd into a bare
# repository whose hooks (run under sshd's clean environment) hand jobs to a
# real pushgated, which deploys with the local deployer. Checks what lands,
# the notes fetched back over ssh, a failing `after` command rolled back, and
# a push while the daemon is stopped.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/servers.sh"
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/deploy_lib.sh"

start_sshd

# ---------------------------------------------------------------- set-up

target=$E2E_TMP/target/app
mkdir -p "$E2E_TMP/target"
write_daemon_config 2

# The `after` command is administrator-configured; this one fails while the
# release holds a file named FAIL_AFTER, and otherwise leaves a mark of the
# release it ran for.
after=$E2E_TMP/after-switch
marks=$E2E_TMP/after-marks
cat >"$after" <<EOF
#!/bin/sh
test ! -e "\$PUSHGATE_RELEASE_DIR/FAIL_AFTER" || { echo "after: FAIL_AFTER is there" >&2; exit 3; }
echo "\$PUSHGATE_COMMIT \$PUSHGATE_PREVIOUS_COMMIT" >>'$marks'
EOF
chmod +x "$after"

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
      after: [["$after", "{release}"]]
EOF

make_clone "$SSH_URL$bare" dev
dev=$E2E_WORK/dev

# commit_release CONTENT [FAIL_AFTER]: a commit with a manifest, a page, an
# executable script and a symlink inside the deployed subtree, a file outside
# it, and FAIL_AFTER if asked.
commit_release() {
  write_site "$dev" "$1"
  printf 'not deployed\n' | write_file "$dev" README
  if [[ ${2:-} == FAIL_AFTER ]]; then : | write_file "$dev" deploy/prod/FAIL_AFTER; else rm -f "$dev/deploy/prod/FAIL_AFTER"; fi
  commit_all "$dev" "$1"
  rev "$dev" HEAD
}

# expect_one_job ENV: the last push queued exactly one job for ENV; sets JOB.
expect_one_job() {
  local jobs
  jobs=$(queued_jobs)
  JOB=$(awk -v env="$1" '$1 == env {print $2}' <<<"$jobs")
  if [[ $(wc -l <<<"$JOB") == 1 && -n $JOB ]]; then
    pass "the push queued job $JOB for $1"
  else
    fail "the push did not queue exactly one job for $1" "$E2E_OUT"
  fi
}

# expect_final ENV COMMIT STATUS: job JOB ends with STATUS in exactly one final record.
expect_final() {
  if ! wait_for_final "$bare" "$1" "$2" "$JOB"; then
    fail "job $JOB has no final record on ${2:0:7}" "note: $(deploy_note "$bare" "$1" "$2")" \
      "daemon log:" "$(tail -20 "$DAEMON_LOG")"
  elif [[ $FINAL_STATUS != "$3" ]]; then
    fail "job $JOB ended $FINAL_STATUS, expected $3" "note: $(deploy_note "$bare" "$1" "$2")" \
      "log: $(git --git-dir="$bare" notes --ref="deploy-log/$1" show "$2" 2>&1)"
  elif [[ $(final_records "$bare" "$1" "$2" "$JOB" | wc -l) != 1 ]]; then
    fail "job $JOB has more than one final record" "$(deploy_note "$bare" "$1" "$2")"
  else
    pass "job $JOB ended $3 on ${2:0:7}, in one final record"
  fi
}

start_daemon

# ---------------------------------------------------------------- scenarios

test_case "ssh://: a push is queued and deployed"
c1=$(commit_release one)
expect_push_ok "$dev" origin main
expect_remote_line "^pushgate: queued deploy of ${c1:0:7} to production \(job [0-9]+\)"
expect_one_job production
expect_final production "$c1" succeeded
assert_live "$target" "$bare" "$c1" deploy/prod
check "nothing outside deploy/prod is deployed" test ! -e "$target/current/README"
check "the executable bit is kept" test -x "$target/current/bin/start"
check "the symlink is kept as a symlink" test "$(readlink "$target/current/index.html")" = site/index.html
check "the after command ran for ${c1:0:7} with an empty previous commit" grep -qx "$c1 " "$marks"

test_case "ssh://: the notes fetched over ssh are readable with plain git"
expect_notes_readable "$dev" "$c1" "$JOB"

test_case "ssh://: a second release replaces the first"
c2=$(commit_release two)
expect_push_ok "$dev" origin main
expect_one_job production
expect_final production "$c2" succeeded
assert_live "$target" "$bare" "$c2" deploy/prod
check "the after command got ${c1:0:7} as the previous commit" grep -qx "$c2 $c1" "$marks"

test_case "ssh://: a failing after command ends rolled-back with the previous release live"
c3=$(commit_release three FAIL_AFTER)
expect_push_ok "$dev" -o pushgate.wait origin main
expect_remote_line "after: FAIL_AFTER is there"
expect_remote_line "^pushgate: production: rolled-back"
expect_one_job production
expect_final production "$c3" rolled-back
assert_live "$target" "$bare" "$c2" deploy/prod
record=$(final_records "$bare" production "$c3" "$JOB")
if grep -q "after command" <<<"$record" && grep -q "${c2:0:7}" <<<"$record"; then
  pass "the record says the after command failed and what is live"
else
  fail "the record does not say why it rolled back and what is live" "$record"
fi
out=$(pushgate status "$bare" production --daemon-config "$DAEMON_CFG" 2>&1)
if grep -q "${c2:0:7}" <<<"$out"; then pass "pushgate status names ${c2:0:7} as live"; else fail "pushgate status" "$out"; fi
out=$(timeout 60 git -C "$dev" fetch -q origin 'refs/notes/*:refs/notes/*' 2>&1) || fail "git fetch of the notes over ssh" "$out"
notes=$(git -C "$dev" log -1 --notes='deploy/*' "$c3" 2>&1)
if grep -qE "^    [0-9T:-]+Z env=production status=rolled-back job=$JOB " <<<"$notes"; then
  pass "git log --notes='deploy/*' shows the rolled-back record"
else
  fail "git log --notes='deploy/*' shows no rolled-back record of job $JOB" "$notes"
fi

test_case "ssh://: a push while pushgated is stopped is deployed when it starts"
stop_daemon
check "pushgated exits 0 on SIGTERM" test "$DAEMON_RC" = 0
c4=$(commit_release four)
expect_push_ok "$dev" origin main
expect_remote_line "pushgated is not running; the deploy starts when it does"
expect_one_job production
assert_live "$target" "$bare" "$c2" deploy/prod
start_daemon
expect_final production "$c4" succeeded
assert_live "$target" "$bare" "$c4" deploy/prod

test_case "ssh://: the server repository stays sound"
assert_fsck "$bare"
stop_daemon
check "pushgated stopped cleanly" test "$DAEMON_RC" = 0

finish
