#!/usr/bin/env bash
# `pushgate hosts REPO.git ENV`: each host of an ssh environment, from a fleet
# of real sshd on loopback (tests/support/loopback_fleet.sh), with the SHA256
# fingerprint it presents and whether the deployer's known_hosts has it:
# match, unknown (with the line to add), changed, or unreachable; exit 0 only
# when every host matches. The fingerprints are checked against ssh-keygen's.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source-path=SCRIPTDIR/../support
source "$(dirname "${BASH_SOURCE[0]}")/../support/loopback_fleet.sh"

command -v python3 >/dev/null || skip "python3 is needed to read pushgate hosts --format json"
pushgate() { "$PUSHGATE_BIN_DIR/pushgate" "$@"; }

start_loopback_fleet "$E2E_TMP/fleet" 4 E2E_PIDS skip
make_bare app
bare=$E2E_SRV/app.git
{
  printf 'environments:\n  production:\n    branch: main\n    deployer:\n      type: ssh\n'
  printf '      user: %s\n      identity: %s\n      known_hosts: %s\n      connect_timeout: 2s\n      hosts:\n' \
    "$FLEET_USER" "$FLEET_IDENTITY" "$FLEET_KNOWN_HOSTS"
  for i in "${!FLEET_PORTS[@]}"; do
    printf '        - {host: 127.0.0.1, port: %s, dir: %s}\n' "${FLEET_PORTS[i]}" "${FLEET_DIRS[i]}"
  done
  printf '  local:\n    branch: main\n    deployer: {type: local, dir: %s}\n' "$E2E_TMP/local"
} >"$bare/pushgate.yaml"

# fingerprint I: host I's key fingerprint as ssh-keygen prints it.
fingerprint() { ssh-keygen -lf "$E2E_TMP/fleet/host-$1/host_key.pub" | cut -d' ' -f2; }

# hosts_field I PYTHON-EXPRESSION: evaluates it on host I (h) of `pushgate hosts --format json`.
hosts_json() { pushgate hosts "$bare" production --format json; }
hosts_field() { python3 -c "import json,sys; h=json.load(sys.stdin)['hosts'][$1]; print($2)" <<<"$JSON"; }

test_case "every host's key is in known_hosts: match, exit 0"
out=$(pushgate hosts "$bare" production 2>&1)
check "pushgate hosts exits 0" test $? = 0
for i in 0 3; do
  line="$FLEET_USER@127.0.0.1:${FLEET_PORTS[i]}: match $(fingerprint "$i") (ssh-ed25519)"
  if grep -qxF "$line" <<<"$out"; then pass "host $i: $line"; else fail "host $i is not listed as matching" "$out"; fi
done
if grep -qF "pushgate: 4 of 4 hosts match $FLEET_KNOWN_HOSTS" <<<"$out"; then pass "the summary"; else fail "no summary" "$out"; fi

test_case "unknown, changed and unreachable hosts are each said so, exit 1"
fleet_host_forget 1
fleet_host_rekey 2
fleet_host_down 3
out=$(pushgate hosts "$bare" production 2>&1)
check "pushgate hosts exits 1" test $? = 1
if grep -qF "127.0.0.1:${FLEET_PORTS[1]}: unknown $(fingerprint 1) (ssh-ed25519); check it" <<<"$out" &&
  grep -qxF "  $(fleet_known_hosts_line 1)" <<<"$out"; then
  pass "host 1 is unknown, with the known_hosts line to add"
else
  fail "host 1 is not reported unknown with its line" "$out" "expected line: $(fleet_known_hosts_line 1)"
fi
if grep -qF "127.0.0.1:${FLEET_PORTS[2]}: changed $(fingerprint 2) (ssh-ed25519)" <<<"$out"; then
  pass "host 2's key changed, with the new fingerprint"
else
  fail "host 2 is not reported changed" "$out"
fi
if grep -qF "127.0.0.1:${FLEET_PORTS[3]}: unreachable:" <<<"$out"; then pass "host 3 is unreachable"; else fail "host 3" "$out"; fi
if grep -qF "pushgate: 1 of 4 hosts match" <<<"$out"; then pass "the summary counts 1 match"; else fail "summary" "$out"; fi

test_case "--format json gives each host's state, fingerprint and line"
JSON=$(hosts_json)
check "state of host 0 is match" test "$(hosts_field 0 "h['state']")" = match
check "state of host 1 is unknown" test "$(hosts_field 1 "h['state']")" = unknown
check "host 1's line is the one to add" test "$(hosts_field 1 "h['known_hosts_line']")" = "$(fleet_known_hosts_line 1)"
check "state of host 2 is changed" test "$(hosts_field 2 "h['state']")" = changed
check "host 2's new fingerprint" test "$(hosts_field 2 "h['fingerprint']")" = "$(fingerprint 2)"
check "state of host 3 is unreachable" test "$(hosts_field 3 "h['state']")" = unreachable

test_case "a host that accepts and then hangs is unreachable within the connect timeout"
fleet_host_up 3
fleet_host_hang 0
started=$SECONDS
JSON=$(hosts_json)
check "host 0 is unreachable" test "$(hosts_field 0 "h['state']")" = unreachable
check "it took at most 6 s ($((SECONDS - started)) s, connect_timeout 2s)" test $((SECONDS - started)) -le 6
fleet_host_resume 0

test_case "usage: an environment that does not deploy over ssh, an unknown one, --help"
out=$(pushgate hosts "$bare" local 2>&1)
check "a local environment is a usage error (exit 2)" test $? = 2
if grep -qF "does not deploy over ssh" <<<"$out"; then pass "it says why"; else fail "no reason" "$out"; fi
pushgate hosts "$bare" nope >/dev/null 2>&1
check "an unknown environment is a usage error (exit 2)" test $? = 2
check "--help documents the exit status" bash -c "'$PUSHGATE_BIN_DIR/pushgate' hosts --help | grep -q 'Exit status'"

finish
