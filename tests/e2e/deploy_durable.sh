#!/usr/bin/env bash
# A deployed release survives a power cut, not only a crash of pushgated: its
# files reach the disk before the release gets its final name, and each
# rename (the release's, then `current`'s) is followed by a sync of the
# folder holding it. A power cut cannot be staged here, so the suite watches
# the order of pushgated's system calls with strace.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/deploy_lib.sh"

command -v strace >/dev/null || skip "strace is needed to see the order of syncs and renames (Debian: apt-get install strace)"

target=$E2E_TMP/target/app
mkdir -p "$E2E_TMP/target"
target=$(cd "$E2E_TMP/target" && pwd)/app
write_daemon_config 1 30s
make_deploy_bare app
bare=$E2E_SRV/app.git
cat >"$bare/pushgate.yaml" <<YAML
environments:
  production:
    branch: main
    path: deploy
    deployer: {type: local, dir: $target}
YAML
make_clone "file://$bare" dev
dev=$E2E_WORK/dev
start_daemon

# Attach to the running daemon (every thread, -f) and wait until the kernel says so.
trace=$E2E_TMP/trace
strace -f -qq -y -p "$DAEMON_PID" -e trace=fsync,syncfs,rename,renameat,renameat2 -o "$trace" \
  2>"$E2E_TMP/strace.err" &
strace_pid=$!
E2E_PIDS+=("$strace_pid")
for _ in $(seq 200); do
  grep -q '^TracerPid:[[:space:]]*[1-9]' "/proc/$DAEMON_PID/status" && break
  kill -0 "$strace_pid" 2>/dev/null || skip "strace cannot attach to a process here: $(cat "$E2E_TMP/strace.err")"
  sleep 0.05
done

test_case "a release is on disk before it is named, and each rename is synced"
manifest_configmap web | write_file "$dev" deploy/web.yaml
printf '<h1>durable</h1>\n' | write_file "$dev" deploy/site/index.html
commit_all "$dev" "durable"
c1=$(rev "$dev" HEAD)
expect_push_ok "$dev" origin main
wait_for_status "$bare" production "$c1" succeeded
assert_live "$target" "$bare" "$c1" deploy
kill "$strace_pid" 2>/dev/null
wait "$strace_pid" 2>/dev/null

# The line number of the first line after line $2 matching ERE $1, or nothing.
# (awk -v reads backslashes as escapes: the patterns use [.] and [(] instead.)
first_after() { awk -v after="$2" -v re="$1" 'NR > after && $0 ~ re { print NR; exit }' "$trace"; }
partial_rename=$(first_after 'rename.*"[^"]*/releases/[.][^"/]*[.]partial"' 0)
if [[ -z $partial_rename ]]; then
  fail "no rename of a .partial release in the trace" "$(cat "$trace")"
else
  synced=$(awk -v before="$partial_rename" 'NR < before && /syncfs\(.*\.partial>\) = 0/ { print NR }' "$trace")
  check "the file system is synced before the release is named" test -n "$synced"
  releases_synced=$(first_after "fsync[(][0-9]+<$target/releases>[)] = 0" "$partial_rename")
  check "the releases folder is synced after the rename" test -n "$releases_synced"
  switch=$(first_after "rename.*\"$target/current\"" "$partial_rename")
  check "current is switched after the release is complete" test -n "$switch"
  root_synced=$(first_after "fsync[(][0-9]+<$target>[)] = 0" "${switch:-999999}")
  check "the target folder is synced after the switch" test -n "$root_synced"
  if ((E2E_FAILED > 0)); then echo "the trace:" && cat "$trace"; fi
fi

finish
