#!/usr/bin/env bash
# Drift on a fleet: a real pushgated deploys with the ssh deployer to two
# OpenSSH servers on loopback ports, with `drift: {interval: 1s, heal: true}`.
# A file changed by hand on one host is found within an interval and
# recorded `drifted` (naming the host), then healed: the live commit is
# deployed again and that host's release holds the commit's exact content.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/deploy_lib.sh"

# ---------------------------------------------------------------- set-up

# Two hosts, each with its own host key (tests/support/loopback_fleet.sh).
# shellcheck source-path=SCRIPTDIR/../support
source "$(dirname "${BASH_SOURCE[0]}")/../support/loopback_fleet.sh"
start_loopback_fleet "$E2E_TMP/fleet" 2 E2E_PIDS skip
identity=$FLEET_IDENTITY
known_hosts=$FLEET_KNOWN_HOSTS
ports=("${FLEET_PORTS[@]}")
dirs=("${FLEET_DIRS[@]}")
hosts_yaml=""
for i in "${!ports[@]}"; do
  hosts_yaml+="        - {host: 127.0.0.1, port: ${ports[i]}, dir: \"${dirs[i]}\"}"$'\n'
done
write_daemon_config 2 30s

make_deploy_bare app
bare=$E2E_SRV/app.git
cat >"$bare/pushgate.yaml" <<EOF
environments:
  production:
    branch: main
    path: deploy/prod
    deployer:
      type: ssh
      hosts:
$hosts_yaml      identity: $identity
      known_hosts: $known_hosts
    drift: {interval: 1s, heal: true}
EOF

make_clone "file://$bare" dev
dev=$E2E_WORK/dev
write_site "$dev" one
commit_all "$dev" one
c1=$(rev "$dev" HEAD)

# diff_rc: pushgate diff's exit status for production.
diff_rc() {
  pushgate diff "$bare" production --daemon-config "$DAEMON_CFG" >/dev/null 2>&1
  echo $?
}

start_daemon

# ---------------------------------------------------------------- scenarios

test_case "a fleet deploy is no drift"
expect_push_ok "$dev" origin main
wait_for_status "$bare" production "$c1" succeeded
for dir in "${dirs[@]}"; do assert_live "$dir" "$bare" "$c1" deploy/prod; done
check "pushgate diff finds no drift on either host" test "$(diff_rc)" -eq 0

test_case "a file changed on one host is found, recorded naming the host, and healed"
printf 'defaced on web2\n' >"${dirs[1]}/current/site/index.html"
changed_at=$SECONDS
expect_drifted_within "$bare" production "$c1" "$changed_at" 6 "within an interval, two logins and the check"
expect_note_says "$bare" production "$c1" 'changed=1'
expect_note_says "$bare" production "$c1" "paths=~$FLEET_USER@127.0.0.1:${ports[1]}:site/index.html"
wait_for_status "$bare" production "$c1" healed
for dir in "${dirs[@]}"; do assert_live "$dir" "$bare" "$c1" deploy/prod; done
check "pushgate diff finds no drift after the heal" test "$(diff_rc)" -eq 0

test_case "a file removed on a host is drift too, and healed"
rm "${dirs[0]}/current/bin/start"
for _ in $(seq 400); do
  (($(deploy_note "$bare" production "$c1" | grep -c ' status=healed ') >= 2)) && break
  sleep 0.05
done
check "a second drifted and a second healed record" \
  test "$(deploy_note "$bare" production "$c1" | grep -c ' status=healed ')" -ge 2
expect_note_says "$bare" production "$c1" 'removed=1'
for dir in "${dirs[@]}"; do assert_live "$dir" "$bare" "$c1" deploy/prod; done

stop_daemon
check "pushgated stops cleanly" test "$DAEMON_RC" -eq 0
finish
