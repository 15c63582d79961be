#!/usr/bin/env bash
# Push to deploy to a fleet over SSH: real pushes over file:// into a bare
# repository whose hooks hand jobs to a real pushgated, which deploys with
# the ssh deployer (libssh) to ten OpenSSH servers on loopback ports
# (tests/support/loopback_fleet.sh), each with its own host key and target
# folder. Checks that every host gets the tree's exact content and that a
# changed file never reaches the live release through a hard link; that a
# canary whose health check fails leaves every host on the previous release;
# that a changed and an unknown host key, a full disk (as root) and a host
# without GNU tar end the rollout with a clear message; that a hung host and
# one that refuses connections are left behind within max_unavailable (and
# pushgate status, asking every host, says which disagree, as it does for a
# host switched by hand); that values reach remote commands unchanged; `pushgate rollback`
# across the fleet; and a kill -9 of the daemon mid-rollout recovered on
# restart.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/deploy_lib.sh"

# ---------------------------------------------------------------- set-up

# Ten hosts, each with its own host key; the daemon logs in everywhere with
# one identity and trusts exactly these host keys.
# shellcheck source-path=SCRIPTDIR/../support
source "$(dirname "${BASH_SOURCE[0]}")/../support/loopback_fleet.sh"
start_loopback_fleet "$E2E_TMP/fleet" 10 E2E_PIDS skip
identity=$FLEET_IDENTITY
known_hosts=$FLEET_KNOWN_HOSTS
ports=("${FLEET_PORTS[@]}")
hosts_yaml=""
dirs=()
for i in "${!ports[@]}"; do
  # Host 1's folder holds what a shell would expand or split.
  dir=$E2E_TMP/hosts/web$i
  if [[ $i == 1 ]]; then dir="$E2E_TMP/hosts/web 1 \$(touch PWNED) it's"; fi
  dirs+=("$dir")
  hosts_yaml+="        - {host: 127.0.0.1, port: ${ports[i]}, dir: \"${dir//\"/\\\"}\"}"$'\n'
done
cp "$known_hosts" "$known_hosts.good"
mkdir -p "$E2E_TMP/hosts"

# Host 2's folder on a 1 MiB file system, for a host whose disk is full:
# only root can mount one here.
small_disk=""
if [[ $(id -u) == 0 ]] && mkdir -p "${dirs[2]}" && mount -t tmpfs -o size=1m pushgate-e2e "${dirs[2]}" 2>/dev/null; then
  small_disk=${dirs[2]}
  # shellcheck disable=SC2016  # expanded when the suite exits
  e2e_at_exit 'umount "$small_disk" 2>/dev/null'
fi
write_daemon_config 2 30s

# An `after` command that records the value it got and PUSHGATE_HOST beside
# the release, on the host.
# While $E2E_TMP/hold exists it waits, so the daemon can be killed mid-rollout.
after=$E2E_TMP/after-mark
hold=$E2E_TMP/hold
cat >"$after" <<SCRIPT
#!/bin/sh
while [ -e '$hold' ]; do sleep 0.1; done
printf '%s|%s\n' "\$1" "\$PUSHGATE_HOST" >>"\$PUSHGATE_RELEASE_DIR/../../after.log"
SCRIPT
chmod +x "$after"
odd_value="a;b \$(touch PWNED) \`id\` 'q' \"dq\" *"

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
      batch: 5
      parallel: 5
      keep_releases: 3
      connect_timeout: 2s
      timeout: 20s
      after: [["$after", "${odd_value//\"/\\\"}"]]
    health: {command: ["test", "!", "-e", "{release}/BROKEN"], timeout: 5s, retries: 1, interval: 100ms}
EOF

make_clone "file://$bare" dev
dev=$E2E_WORK/dev

# commit_release CONTENT [BROKEN]: a manifest, a page, an executable, a
# symlink and a file named like a command substitution; BROKEN if asked.
commit_release() {
  write_site "$dev" "$1"
  printf 'odd\n' | write_file "$dev" 'deploy/prod/$(touch PWNED).txt'
  if [[ ${2:-} == BROKEN ]]; then : | write_file "$dev" deploy/prod/BROKEN; else rm -f "$dev/deploy/prod/BROKEN"; fi
  commit_all "$dev" "$1"
  rev "$dev" HEAD
}

# push_and_wait COMMIT STATUS: pushes main and waits for the job's final record.
push_and_wait() {
  expect_push_ok "$dev" origin main
  JOB=$(queued_jobs | awk '$1 == "production" {print $2}')
  if ! wait_for_final "$bare" production "$1" "$JOB" 40; then
    fail "job $JOB has no final record on ${1:0:7}" "$(tail -20 "$DAEMON_LOG")"
  elif [[ $FINAL_STATUS != "$2" ]]; then
    fail "job $JOB ended $FINAL_STATUS, expected $2" "note: $(deploy_note "$bare" production "$1")" \
      "log: $(git --git-dir="$bare" notes --ref=deploy-log/production show "$1" 2>&1 | tail -30)"
  else
    pass "job $JOB ended $2 on ${1:0:7}"
  fi
}

# assert_fleet_live COMMIT: every host's current release is exactly COMMIT's deploy/prod.
assert_fleet_live() {
  local dir
  for dir in "${dirs[@]}"; do assert_live "$dir" "$bare" "$1" deploy/prod; done
}

# deploy_log COMMIT: the full deploy log of COMMIT's attempts.
deploy_log() { git --git-dir="$bare" notes --ref=deploy-log/production show "$1" 2>&1; }

start_daemon

# ---------------------------------------------------------------- scenarios

test_case "a push deploys the tree's exact content to every host"
c1=$(commit_release one)
push_and_wait "$c1" succeeded
assert_fleet_live "$c1"
expect_note_says "$bare" production "$c1" "hosts=10 ok=10"
check "the executable bit is kept on the hosts" test -x "${dirs[1]}/current/bin/start"
check "nothing was run by a shell: no PWNED file anywhere" test -z "$(find "$E2E_TMP" -name PWNED)"
if grep -q "^\[.*127.0.0.1:${ports[0]}\] pushgate: switched" <<<"$(deploy_log "$c1")"; then
  pass "the deploy log has a line per host and step"
else
  fail "the deploy log names no host" "$(deploy_log "$c1")"
fi

test_case "values reach remote commands unchanged, with PUSHGATE_HOST"
expected="$odd_value|127.0.0.1"
if [[ $(cat "${dirs[1]}/after.log") == "$expected" ]]; then
  pass "the after command got its argument byte for byte"
else
  fail "the after command got something else" "expected: $expected" "got: $(cat "${dirs[1]}/after.log")"
fi

test_case "a second release sends only what changed"
c2=$(commit_release two)
push_and_wait "$c2" succeeded
assert_fleet_live "$c2"
if grep -q "files sent ([0-9]* bytes), [1-9][0-9]* reused from the live release" <<<"$(deploy_log "$c2")"; then
  pass "unchanged files were reused from the live release"
else
  fail "no file was reused" "$(deploy_log "$c2")"
fi
# The new release started as hard links to the old one; the files that
# changed were created anew, never written through a link.
for i in 0 1 9; do
  old_release=$(find "${dirs[i]}/releases" -mindepth 1 -maxdepth 1 -type d -name "2*-${c1:0:12}-*" -print -quit)
  if diff <(tree_of_commit "$bare" "$c1" deploy/prod) <(tree_listing "$old_release") >/dev/null; then
    pass "host $i: the release before still holds exactly ${c1:0:7}'s files"
  else
    fail "host $i: the release before was changed by the deploy" "$(ls -la "$old_release/site" 2>&1)"
  fi
done

test_case "a canary whose health check fails leaves every host on the previous release"
c3=$(commit_release three BROKEN)
push_and_wait "$c3" rolled-back
assert_fleet_live "$c2"
expect_note_says "$bare" production "$c3" "health check failed"
expect_note_says "$bare" production "$c3" "skipped=5"

test_case "a changed host key refuses that host and rolls the others back"
other=$E2E_TMP/other_key
ssh-keygen -q -t ed25519 -N '' -f "$other" </dev/null
sed -i "s|^\[127.0.0.1\]:${ports[2]} .*|[127.0.0.1]:${ports[2]} $(cut -d' ' -f1,2 "$other.pub")|" "$known_hosts"
c4=$(commit_release four)
push_and_wait "$c4" rolled-back
assert_fleet_live "$c2"
expect_note_says "$bare" production "$c4" "CHANGED"
expect_note_says "$bare" production "$c4" "$(ssh-keygen -E sha256 -lf "$FLEET_ROOT/host-2/host_key.pub" | cut -d' ' -f2)"

test_case "an unknown host key refuses that host"
grep -v "^\[127.0.0.1\]:${ports[2]} " "$known_hosts.good" >"$known_hosts"
c5=$(commit_release five)
push_and_wait "$c5" rolled-back
assert_fleet_live "$c2"
expect_note_says "$bare" production "$c5" "unknown"
cp "$known_hosts.good" "$known_hosts"

test_case "a host that hangs and one that refuses connections are left behind when max_unavailable allows it"
sed -i 's/^      connect_timeout: 2s$/&\n      max_unavailable: 2/' "$bare/pushgate.yaml"
fleet_host_hang 2
fleet_host_down 3
c6=$(commit_release six)
started=$SECONDS
push_and_wait "$c6" succeeded
fleet_host_resume 2
fleet_host_up 3
check "the rollout ended within 30 s" test $((SECONDS - started)) -lt 30
expect_note_says "$bare" production "$c6" "unavailable=2"
behind="$(id -un)@127.0.0.1:${ports[2]},$(id -un)@127.0.0.1:${ports[3]}"
expect_note_says "$bare" production "$c6" "disagree=$behind"
expect_note_says "$bare" production "$c6" "127.0.0.1:${ports[3]}: unreachable: "
assert_live "${dirs[0]}" "$bare" "$c6" deploy/prod
assert_live "${dirs[2]}" "$bare" "$c2" deploy/prod
assert_live "${dirs[3]}" "$bare" "$c2" deploy/prod
out=$(pushgate status "$bare" production --daemon-config "$DAEMON_CFG" 2>&1)
if grep -qF "  hosts:   8 ok of 10; these hosts disagree with the rest: $behind" <<<"$out"; then
  pass "pushgate status says which hosts disagree"
else
  fail "pushgate status does not say which hosts disagree" "$out"
fi
# What the hosts themselves say, asked now: 2 and 3 are back, on the release before.
user=$(id -un)
disagree="  hosts DISAGREE: 8 have ${c6:0:12}; 2 have ${c2:0:12}: $user@127.0.0.1:${ports[2]}, $user@127.0.0.1:${ports[3]}"
if grep -qxF "$disagree" <<<"$out" && grep -qF "    $user@127.0.0.1:${ports[3]}: ${c2:0:12} (release " <<<"$out"; then
  pass "pushgate status reads each host's current and says which hosts disagree"
else
  fail "pushgate status does not show the hosts' disagreement" "$out"
fi
out=$(pushgate status "$bare" production --json --daemon-config "$DAEMON_CFG" 2>&1)
check "pushgate status --json lists each host's live commit and hosts_agree: false" python3 -c '
import json, sys
env = json.loads(sys.argv[1])["environments"][0]
commits = sorted(h["commit"] for h in env["hosts"])
sys.exit(not (env["hosts_agree"] is False and len(commits) == 10 and commits.count(sys.argv[2]) == 8
              and commits.count(sys.argv[3]) == 2))' "$out" "$c6" "$c2"

test_case "a host whose disk is full ends its part with a clear message"
if [[ -n $small_disk ]]; then
  head -c 1500000 /dev/urandom >"$dev/deploy/prod/big.bin"
  c6b=$(commit_release six-big)
  push_and_wait "$c6b" rolled-back
  # Host 2 was left behind on c2 by the hang above, and stays there.
  assert_live "${dirs[0]}" "$bare" "$c6" deploy/prod
  assert_live "${dirs[1]}" "$bare" "$c6" deploy/prod
  assert_live "${dirs[2]}" "$bare" "$c2" deploy/prod
  expect_note_says "$bare" production "$c6b" "127.0.0.1:${ports[2]}: cannot make release"
  rm -f "$dev/deploy/prod/big.bin"
else
  echo "# skipped: only root can mount a small file system for host 2"
fi

test_case "the fleet deploys again once every host is back"
c7=$(commit_release seven)
push_and_wait "$c7" succeeded
assert_fleet_live "$c7"
kept=$(find "${dirs[0]}/releases" -mindepth 1 -maxdepth 1 -name '2*' | wc -l)
check "host 0 keeps 3 releases (keep_releases: 3), not more ($kept)" test "$kept" = 3

test_case "a host without tar, and one whose tar is not GNU tar, are told what to install"
# Their sessions' PATH holds every program of this machine but tar, or a tar of another kind.
for kind in notar othertar; do
  mkdir -p "$E2E_TMP/$kind"
  for program in /usr/local/bin/* /usr/bin/* /bin/*; do
    [[ ${program##*/} == tar ]] || ln -sf "$program" "$E2E_TMP/$kind/" 2>/dev/null
  done
done
printf '#!/bin/sh\n[ "$1" = --version ] && { echo "bsdtar 3.6.2 - libarchive 3.6.2"; exit 0; }\necho "tar: Option --touch is not supported" >&2\nexit 1\n' \
  >"$E2E_TMP/othertar/tar"
chmod +x "$E2E_TMP/othertar/tar"
fleet_host_setenv 3 "PATH=$E2E_TMP/notar"
fleet_host_setenv 4 "PATH=$E2E_TMP/othertar"
c7b=$(commit_release seven-b)
push_and_wait "$c7b" rolled-back
fleet_host_setenv 3
fleet_host_setenv 4
assert_fleet_live "$c7"
expect_note_says "$bare" production "$c7b" "127.0.0.1:${ports[3]}: cannot make release"
expect_note_says "$bare" production "$c7b" "there is no tar on this host"
expect_note_says "$bare" production "$c7b" "the tar on this host is not GNU tar ($E2E_TMP/othertar/tar: bsdtar 3.6.2"
expect_note_says "$bare" production "$c7b" "apt-get install tar"

test_case "pushgate rollback switches every host back"
out=$(pushgate rollback "$bare" production --wait --daemon-config "$DAEMON_CFG" 2>&1)
check "pushgate rollback --wait exits 0" test $? = 0
assert_fleet_live "$c6"

test_case "pushgate status says so when a host was switched by hand"
c7_release=$(find "${dirs[5]}/releases" -mindepth 1 -maxdepth 1 -type d -name "2*-${c7:0:12}-*" -printf '%f\n' | head -1)
c6_link=$(readlink "${dirs[5]}/current")
ln -sfn "releases/$c7_release" "${dirs[5]}/current"
out=$(pushgate status "$bare" production --daemon-config "$DAEMON_CFG" 2>&1)
ln -sfn "$c6_link" "${dirs[5]}/current"
if grep -qxF "  hosts DISAGREE: 9 have ${c6:0:12}; 1 has ${c7:0:12}: $user@127.0.0.1:${ports[5]}" <<<"$out"; then
  pass "pushgate status names the host switched by hand"
else
  fail "pushgate status does not name the host switched by hand" "$out"
fi
out=$(pushgate status "$bare" production --daemon-config "$DAEMON_CFG" 2>&1)
if grep -qxF "  hosts agree: all 10 have ${c6:0:12} live" <<<"$out"; then
  pass "switched back, pushgate status says the hosts agree"
else
  fail "switched back, pushgate status does not say the hosts agree" "$out"
fi

test_case "kill -9 in the middle of a rollout: on restart every host ends on one release"
touch "$hold"
c8=$(commit_release eight)
expect_push_ok "$dev" origin main
JOB=$(queued_jobs | awk '$1 == "production" {print $2}')
for _ in $(seq 400); do
  [[ $(live_commit "${dirs[0]}") == "${c8:0:12}" ]] && break
  sleep 0.05
done
check "the canary switched to ${c8:0:7} before the kill" test "$(live_commit "${dirs[0]}")" = "${c8:0:12}"
kill_daemon
rm -f "$hold"
start_daemon
if wait_for_final "$bare" production "$c8" "$JOB" 40 && [[ $FINAL_STATUS == succeeded ]]; then
  pass "the cut-off deploy was run again and succeeded"
else
  fail "no succeeded record on ${c8:0:7} after the restart" "$(deploy_note "$bare" production "$c8")"
fi
expect_note_says "$bare" production "$c8" "status=interrupted"
assert_fleet_live "$c8"
check "no partial release is left on any host" test -z "$(find "$E2E_TMP/hosts" -maxdepth 3 -name '.*.partial')"

test_case "an http health check asks each host by {host}"
printf '200\n' >"$E2E_TMP/fleet-health"
port_file=$E2E_TMP/health.port
python3 "$(dirname "${BASH_SOURCE[0]}")/../support/health_server.py" "$E2E_TMP/fleet-health" "$port_file" \
  2>>"$E2E_TMP/health.log" &
health_pid=$!
E2E_PIDS+=("$health_pid")
wait_until_listening "$health_pid" test -s "$port_file" || die "the health server did not start" "$(cat "$E2E_TMP/health.log")"
sed -i "s|^    health: .*|    health: {http: \"http://{host}:$(<"$port_file")/healthz\", expect: 200, timeout: 5s, retries: 1, interval: 100ms}|" \
  "$bare/pushgate.yaml"
c9=$(commit_release nine)
push_and_wait "$c9" succeeded
assert_fleet_live "$c9"
if deploy_log "$c9" | grep -q "http://127.0.0.1:$(<"$port_file")/healthz"; then
  pass "the log names the health URL with the host filled in"
else
  fail "no health URL with 127.0.0.1 in the deploy log" "$(deploy_log "$c9" | tail -20)"
fi

stop_daemon
check "pushgated stopped cleanly" test "$DAEMON_RC" = 0
finish
