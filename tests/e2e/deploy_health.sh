#!/usr/bin/env bash
# HTTP health checks (`health: {http: URL, expect: STATUS}`): real pushes
# deployed by a real pushgated with the local deployer, checked by a GET of
# a small python3 server whose answer the deployed release decides (its
# HEALTH file). A release that answers the expected status goes live; one
# that answers another status, or whose server is down, is rolled back and
# the note says why.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/deploy_lib.sh"
# shellcheck source-path=SCRIPTDIR/../support
source "$(dirname "${BASH_SOURCE[0]}")/../support/loopback_ports.sh"

command -v python3 >/dev/null || skip "python3 is needed for the health endpoint"

# ---------------------------------------------------------------- set-up

target=$E2E_TMP/target/app
mkdir -p "$E2E_TMP/target"
write_daemon_config 2 30s

# start_health_server: serves $target/current/HEALTH's status on /healthz; sets HEALTH_PID, HEALTH_PORT.
port_file=$E2E_TMP/health.port
start_health_server() {
  rm -f "$port_file"
  python3 "$(dirname "${BASH_SOURCE[0]}")/../support/health_server.py" "$target/current/HEALTH" "$port_file" \
    2>>"$E2E_TMP/health.log" &
  HEALTH_PID=$!
  E2E_PIDS+=("$HEALTH_PID")
  wait_until_listening "$HEALTH_PID" test -s "$port_file" || die "the health server did not start" "$(cat "$E2E_TMP/health.log")"
  HEALTH_PORT=$(<"$port_file")
}
start_health_server

make_deploy_bare app
bare=$E2E_SRV/app.git
url=http://127.0.0.1:$HEALTH_PORT/healthz
cat >"$bare/pushgate.yaml" <<EOF
environments:
  production:
    branch: main
    path: deploy/prod
    deployer: {type: local, dir: $target, keep_releases: 3}
    health: {http: "$url", expect: 200, timeout: 2s, retries: 2, interval: 100ms}
EOF

make_clone "file://$bare" dev
dev=$E2E_WORK/dev

# commit_release NAME STATUS: a commit whose deployed release answers STATUS on /healthz.
commit_release() {
  manifest_deployment web | write_file "$dev" deploy/prod/web.yaml
  printf '%s\n' "$2" | write_file "$dev" deploy/prod/HEALTH
  printf '<h1>%s</h1>\n' "$1" | write_file "$dev" deploy/prod/index.html
  commit_all "$dev" "$1"
  rev "$dev" HEAD
}

start_daemon

# ---------------------------------------------------------------- scenarios

test_case "a release whose health URL answers 200 goes live"
c1=$(commit_release one 200)
expect_push_ok "$dev" -o pushgate.wait origin main
expect_remote_line "^\[production\] pushgate: health 1/2: GET $url"
expect_remote_line "^pushgate: production: succeeded"
wait_for_status "$bare" production "$c1" succeeded && assert_live "$target" "$bare" "$c1" deploy/prod

test_case "a release whose health URL answers 500 is rolled back"
c2=$(commit_release two 500)
expect_push_ok "$dev" -o pushgate.wait origin main
expect_remote_line "^\[production\] pushgate: health 2/2: GET $url: status 500, expected 200 \(body: health 500\)"
expect_remote_line "^pushgate: production: rolled-back"
wait_for_status "$bare" production "$c2" rolled-back
assert_live "$target" "$bare" "$c1" deploy/prod
expect_note_says "$bare" production "$c2" "health check failed 2 times in a row (last: GET $url: status 500, expected 200"

test_case "a release whose health server is down is rolled back"
kill "$HEALTH_PID" && wait "$HEALTH_PID" 2>/dev/null
c3=$(commit_release three 200)
expect_push_ok "$dev" -o pushgate.wait origin main
expect_remote_line "^pushgate: production: rolled-back"
wait_for_status "$bare" production "$c3" rolled-back
assert_live "$target" "$bare" "$c1" deploy/prod
expect_note_says "$bare" production "$c3" "cannot connect to 127.0.0.1:$HEALTH_PORT (refused or unreachable)"

test_case "the config refuses {host} for a deployer on the server itself, at its line"
cp "$bare/pushgate.yaml" "$E2E_TMP/good.yaml"
sed -i "s|$url|http://{host}:8080/healthz|" "$bare/pushgate.yaml"
out=$(pushgate install "$bare" --check --daemon-config "$DAEMON_CFG" 2>&1)
if grep -qF "pushgate.yaml:6:20: error: [config] environments.production.health.http: {host} is replaced by each host of an ssh deployer" <<<"$out"; then
  pass "pushgate install --check names the line and what to write"
else
  fail "pushgate install --check does not report {host} at its line" "$out"
fi
cp "$E2E_TMP/good.yaml" "$bare/pushgate.yaml"

test_case "the server repository stays sound"
assert_fsck "$bare"
stop_daemon
check "pushgated stopped cleanly" test "$DAEMON_RC" = 0

finish
