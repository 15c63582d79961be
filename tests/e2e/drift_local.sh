#!/usr/bin/env bash
# Drift of a local release: a real pushgated with `drift: {interval: 1s}`
# finds a file changed by hand in the live release within an interval,
# records `status=drifted` once per episode, and with `heal: true` deploys
# the live commit again and records `status=healed`. `pushgate diff` shows
# the same on demand. A push while slow drift checks run is accepted at once
# and deployed.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/deploy_lib.sh"

command -v python3 >/dev/null || skip "python3 is needed to read pushgate diff --format json"

# ---------------------------------------------------------------- set-up

watched=$E2E_TMP/target/watched
healed=$E2E_TMP/target/healed
write_daemon_config 2 30s

make_deploy_bare app
bare=$E2E_SRV/app.git
cat >"$bare/pushgate.yaml" <<EOF
environments:
  watched:
    branch: main
    path: deploy/prod
    deployer: {type: local, dir: $watched}
    drift: {interval: 1s}
  healed:
    branch: main
    path: deploy/prod
    deployer: {type: local, dir: $healed, max_file_size: 200MiB}
    drift: {interval: 1s, heal: true}
EOF

make_clone "file://$bare" dev
dev=$E2E_WORK/dev
write_site "$dev" one
commit_all "$dev" one
c1=$(rev "$dev" HEAD)

# drift_records ENV: how many drifted records ENV's note on c1 holds.
drift_records() { deploy_note "$bare" "$1" "$c1" | grep -c ' status=drifted ' || true; }

# diff_of ENV [ARGS...]: runs pushgate diff; its output goes to DIFF_OUT, its exit status to DIFF_RC.
diff_of() {
  DIFF_OUT=$(pushgate diff "$bare" "$@" --daemon-config "$DAEMON_CFG" 2>&1)
  DIFF_RC=$?
}

start_daemon

# ---------------------------------------------------------------- scenarios

test_case "a deploy is no drift"
expect_push_ok "$dev" origin main
wait_for_status "$bare" watched "$c1" succeeded
wait_for_status "$bare" healed "$c1" succeeded
diff_of watched
check "pushgate diff exits 0" test "$DIFF_RC" -eq 0
check "pushgate diff says no drift" grep -q "^watched: no drift from ${c1:0:7}" <<<"$DIFF_OUT"
sleep 2.5
check "clean checks over two and a half intervals record nothing" test "$(drift_records watched)" -eq 0

test_case "a file changed by hand is found within an interval and recorded once"
printf 'defaced\n' >"$watched/current/site/index.html"
changed_at=$SECONDS
expect_drifted_within "$bare" watched "$c1" "$changed_at" 4 "within an interval and the check"
expect_note_says "$bare" watched "$c1" 'changed=1'
expect_note_says "$bare" watched "$c1" 'paths=~site/index.html'
diff_of watched
check "pushgate diff exits 1 on drift" test "$DIFF_RC" -eq 1
check "pushgate diff names the file" grep -qF '  ~site/index.html' <<<"$DIFF_OUT"
diff_of watched --format json
check "pushgate diff --format json says drifted" python3 -c "
import json, sys
d = json.loads(sys.argv[1])
sys.exit(not (d['drifted'] and d['changed'] == 1 and d['paths'] == ['~site/index.html']))" "$DIFF_OUT"
sleep 3
check "no new drifted record while the same drift persists" test "$(drift_records watched)" -eq 1
check "without heal the changed file stays" grep -q defaced "$watched/current/site/index.html"

test_case "fixed by hand, then changed again: a new episode"
printf '<h1>%s</h1>\n' one >"$watched/current/site/index.html"
diff_of watched
check "pushgate diff is clean after the fix" test "$DIFF_RC" -eq 0
sleep 2
: >"$watched/current/added-by-hand"
for _ in $(seq 300); do (($(drift_records watched) >= 2)) && break; sleep 0.05; done
check "a second drifted record" test "$(drift_records watched)" -eq 2
expect_note_says "$bare" watched "$c1" 'paths=+added-by-hand'

test_case "heal: true deploys the live commit again"
printf 'defaced\n' >"$healed/current/site/index.html"
rm "$healed/current/bin/start"
wait_for_status "$bare" healed "$c1" drifted
wait_for_status "$bare" healed "$c1" healed
assert_live "$healed" "$bare" "$c1" deploy/prod
expect_note_says "$bare" healed "$c1" 'removed=1'
diff_of healed
check "pushgate diff is clean after the heal" test "$DIFF_RC" -eq 0
healed_release=$(readlink "$healed/current")
status_out=$(pushgate status "$bare" healed --daemon-config "$DAEMON_CFG" 2>&1)
check "pushgate status shows the healed release as live" grep -qF "release ${healed_release#releases/}" <<<"$status_out"

test_case "a push while slow drift checks run is accepted at once and deployed"
# A 150 MiB file that is touched, not changed: every check of `healed` reads
# it (its time differs from the snapshot's) and finds no drift.
head -c $((150 << 20)) /dev/zero >"$dev/deploy/prod/big.bin"
write_site "$dev" two
commit_all "$dev" two
c2=$(rev "$dev" HEAD)
expect_push_ok "$dev" origin main
wait_for_status "$bare" healed "$c2" succeeded
touch -d '2001-01-01' "$healed/current/big.bin"
sleep 2
printf '<h1>three</h1>\n' | write_file "$dev" deploy/prod/site/index.html
commit_all "$dev" three
c3=$(rev "$dev" HEAD)
started=$(date +%s%N)
expect_push_ok "$dev" origin main
elapsed_ms=$((($(date +%s%N) - started) / 1000000))
check "the push returned in ${elapsed_ms} ms, under 3 s" test "$elapsed_ms" -lt 3000
expect_remote_line "^pushgate: queued deploy of ${c3:0:7} to healed"
wait_for_status "$bare" healed "$c3" succeeded
check "the touched file was no drift" test -z "$(deploy_note "$bare" healed "$c2" | grep ' status=drifted ')"

stop_daemon
check "pushgated stops cleanly" test "$DAEMON_RC" -eq 0
finish
