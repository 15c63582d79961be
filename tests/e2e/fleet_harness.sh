#!/usr/bin/env bash
# The fleet harness (tests/support/loopback_fleet.sh) that the ssh deployer's
# suites and benchmarks build on: 10 real sshd on loopback ports start in a
# few seconds, each with its own host key and target folder, and each fault
# it can make is the fault it says: a hung host accepts and says nothing, a
# host that is down refuses, a new host key is reported as changed, a
# forgotten one as unknown.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source-path=SCRIPTDIR/../support
source "$(dirname "${BASH_SOURCE[0]}")/../support/loopback_fleet.sh"

test_case "10 hosts start in a few seconds"
started=$SECONDS
start_loopback_fleet "$E2E_TMP/fleet" 10 E2E_PIDS skip
took=$((SECONDS - started))
check "10 hosts started in ${took}s (at most 10 s on a loaded machine)" test "$took" -le 10
check "10 distinct ports" test "$(printf '%s\n' "${FLEET_PORTS[@]}" | sort -u | wc -l)" = 10
check "known_hosts names all 10" test "$(wc -l <"$FLEET_KNOWN_HOSTS")" = 10
check "10 distinct host keys" test "$(cut -d' ' -f3 "$FLEET_KNOWN_HOSTS" | sort -u | wc -l)" = 10
check "the identity is readable by its owner only" test "$(stat -c %a "$FLEET_IDENTITY")" = 600

test_case "each host lets the identity in, and has a target folder of its own"
for i in 0 9; do
  out=$(fleet_ssh "$i" "echo \$SSH_CONNECTION" 2>&1)
  if [[ $out == *" ${FLEET_PORTS[i]}" ]]; then pass "host $i answers on port ${FLEET_PORTS[i]}"; else fail "host $i" "$out"; fi
done
check "target folders are apart and empty" test "${FLEET_DIRS[3]}" != "${FLEET_DIRS[4]}" -a -z "$(ls -A "${FLEET_DIRS[3]}")"
fleet_ssh 2 "printf x > '${FLEET_DIRS[2]}/f'"
check "a host writes into its folder" test "$(cat "${FLEET_DIRS[2]}/f")" = x
out=$(echo "put $FLEET_KNOWN_HOSTS ${FLEET_DIRS[1]}/kh" |
  sftp -b - -F /dev/null -P "${FLEET_PORTS[1]}" -i "$FLEET_IDENTITY" -o "UserKnownHostsFile=$FLEET_KNOWN_HOSTS" \
    -o GlobalKnownHostsFile=/dev/null -o BatchMode=yes "$FLEET_USER@127.0.0.1" 2>&1)
check "each host serves SFTP" cmp -s "$FLEET_KNOWN_HOSTS" "${FLEET_DIRS[1]}/kh"

test_case "a hung host accepts and then says nothing; resumed, it answers"
fleet_host_hang 3
started=$SECONDS
out=$(timeout 10 bash -c "exec 3<>/dev/tcp/127.0.0.1/${FLEET_PORTS[3]} && timeout 2 head -c 4 <&3" 2>&1)
rc=$?
check "the connection is accepted and no banner comes within 2 s (exit $rc)" test "$rc" = 124 -a -z "$out"
fleet_host_resume 3
check "host 3 answers again" fleet_ssh 3 true

test_case "a host that is down refuses connections; up again, same port and key"
fleet_host_down 4
out=$(fleet_ssh 4 true 2>&1)
if [[ $out == *"Connection refused"* ]]; then pass "host 4 refuses"; else fail "host 4 does not refuse" "$out"; fi
fleet_host_up 4
check "host 4 answers again with the key known_hosts has" fleet_ssh 4 true

test_case "a rekeyed host is reported as changed, a forgotten one as unknown"
fleet_host_rekey 5
out=$(fleet_ssh 5 true 2>&1)
if [[ $out == *"REMOTE HOST IDENTIFICATION HAS CHANGED"* ]]; then pass "host 5's key changed"; else fail "host 5" "$out"; fi
fleet_host_forget 6
out=$(fleet_ssh 6 true 2>&1)
if [[ $out == *"No ED25519 host key is known"* ]]; then pass "host 6's key is unknown"; else fail "host 6" "$out"; fi
check "the others are still known" test "$(wc -l <"$FLEET_KNOWN_HOSTS")" = 9

test_case "stop_loopback_fleet ends every host, a hung one too"
fleet_host_hang 7
stop_loopback_fleet
alive=0
for pid in "${FLEET_PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && alive=$((alive + 1)); done
check "no sshd of the fleet is left ($alive)" test "$alive" = 0

finish
