#!/usr/bin/env bash
# What a local account that can write the spool, or a pusher, can make the
# daemon do with odd input, and what a server's own config may not say:
#   - a FIFO, a folder, a symlink and a huge file named spool/new/N.json are
#     each moved to spool/bad/ with one log line; the daemon keeps serving and
#     the next push is deployed; so are a FIFO and a symlink planted where the
#     next jobs' logs go;
#   - a local deployer `dir` of `/`, inside the repository, or shared by two
#     environments is refused with file:line:col; one inside the daemon's
#     state folder fails the job, naming it;
#   - a blob under the file cap is streamed into the release; one over it,
#     pushed small because it compresses well, fails the deploy naming its
#     path, size and the cap; in neither case does the daemon's memory grow
#     by the blob's size;
#   - a `.GIT` folder in the pushed tree is never deployed.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/deploy_lib.sh"

# ---------------------------------------------------------------- set-up

target=$E2E_TMP/target/app
mkdir -p "$E2E_TMP/target"
write_daemon_config 1 30s
make_deploy_bare app
bare=$E2E_SRV/app.git

# write_repo_config DIR [EXTRA-ENVIRONMENT-LINES]: production deploys deploy/prod into DIR.
write_repo_config() {
  cat >"$bare/pushgate.yaml" <<EOF
environments:
  production:
    branch: main
    path: deploy/prod
    deployer: {type: local, dir: $1}
${2:-}
EOF
}
write_repo_config "$target"

make_clone "file://$bare" dev
dev=$E2E_WORK/dev

# commit_release CONTENT: a commit with a valid manifest and a page holding CONTENT.
commit_release() {
  manifest_deployment web | write_file "$dev" deploy/prod/web.yaml
  printf '<h1>%s</h1>\n' "$1" | write_file "$dev" deploy/prod/index.html
  commit_all "$dev" "$1"
  rev "$dev" HEAD
}

# push_and_wait CONTENT: commits, pushes and waits (15 s) for the job's final
# record; leaves the commit in COMMIT and the status in FINAL_STATUS.
push_and_wait() {
  COMMIT=$(commit_release "$1")
  push "$dev" origin main
  local job
  job=$(queued_jobs | sed -n 's/^production //p' | head -n 1)
  FINAL_STATUS=""
  [[ -n $job ]] || { fail "$1: the push queued no job" "$E2E_OUT"; return 1; }
  wait_for_final "$bare" production "$COMMIT" "$job" 15
}

start_daemon

test_case "a first push is deployed"
push_and_wait one
check "it succeeds" test "$FINAL_STATUS" = succeeded

# ---------------------------------------------------------------- spool entries

test_case "FIFOs, folders, symlinks and huge files in the spool are moved aside once"
new=$DAEMON_SPOOL/new
mkfifo "$new/1001.json"
mkdir "$new/1002.json"
printf '{"id":1003,"kind":"push","repo":"%s","env":"production"}' "$bare" >"$E2E_TMP/planted.json"
ln -s "$E2E_TMP/planted.json" "$new/1003.json"
truncate -s 2M "$new/1004.json"
# The logs of the next two jobs, made before the jobs: a FIFO and a link.
next=$(($(cat "$DAEMON_SPOOL/seq") + 1))
mkfifo "$DAEMON_SPOOL/logs/$next.log"
printf 'precious\n' >"$E2E_TMP/precious"
ln -s "$E2E_TMP/precious" "$DAEMON_SPOOL/logs/$((next + 1)).log"
push_and_wait two
if [[ $FINAL_STATUS == succeeded ]]; then
  pass "the next push is deployed"
else
  fail "the next push is not deployed (status '$FINAL_STATUS')" "$(tail -20 "$DAEMON_LOG")"
  # Today's daemon hangs in open() on the FIFO: let it go, so the suite ends.
  [[ -p $new/1001.json ]] && timeout 2 sh -c ": >'$new/1001.json'"
  [[ -p $DAEMON_SPOOL/logs/$next.log ]] && timeout 2 cat "$DAEMON_SPOOL/logs/$next.log" >/dev/null
fi
push_and_wait three
check "and so is the one after" test "$FINAL_STATUS" = succeeded
for n in 1001 1002 1003 1004; do
  check "$n.json is gone from spool/new" test ! -e "$new/$n.json" -a ! -L "$new/$n.json"
  check "$n.json is in spool/bad" bash -c "[[ -e '$DAEMON_SPOOL/bad/$n.json' || -L '$DAEMON_SPOOL/bad/$n.json' ]]"
  lines=$(grep -c "new/$n.json" "$DAEMON_LOG")
  check "the daemon log names $n.json once (it has $lines lines)" test "$lines" = 1
done
grep -E 'new/100[1-4].json' "$DAEMON_LOG" | sed 's/^/    /'
check "the planted job's target is untouched" test -f "$E2E_TMP/planted.json"
check "the planted logs are in spool/bad" test -p "$DAEMON_SPOOL/bad/$next.log" -a -L "$DAEMON_SPOOL/bad/$((next + 1)).log"
check "the daemon did not write through the planted link" test "$(cat "$E2E_TMP/precious")" = precious
check "the daemon still runs" kill -0 "$DAEMON_PID"

# ---------------------------------------------------------------- deploy folders

# expect_config_refused WHAT PATTERN: a push is rejected, naming pushgate.yaml:line:col and PATTERN.
expect_config_refused() {
  test_case "$1"
  : | write_file "$dev" "deploy/prod/touch-$RANDOM"
  commit_all "$dev" "$1"
  expect_push_rejected "$bare/pushgate.yaml:" "$2" -- "$dev" origin main
  expect_remote_line "pushgate.yaml:[0-9]+:[0-9]+: error: .*$2"
}

# A daemon that took such a config would deploy into / or the repository:
# none runs while it is in place, and whatever was queued is dropped.
stop_daemon
write_repo_config /
expect_config_refused "dir: / is refused" "must not be '/'"
write_repo_config "$bare"
expect_config_refused "dir: the git directory is refused" "is inside the repository"
write_repo_config "$bare/releases"
expect_config_refused "dir: a folder inside the git directory is refused" "is inside the repository"
write_repo_config "$target" "  staging: {branch: staging, deployer: {type: local, dir: $target/staging}}"
expect_config_refused "one dir inside another environment's is refused" "give each environment a folder of its own"
write_repo_config "$target" "  staging: {branch: staging, deployer: {type: local, dir: $target}}"
expect_config_refused "one dir for two environments is refused" "give each environment a folder of its own"

rm -f "$DAEMON_SPOOL"/new/*.json
write_repo_config "$target"
start_daemon

test_case "a dir inside the daemon's state folder fails the job, naming it"
write_repo_config "$DAEMON_DIR/state/app"
push_and_wait four
check "the job fails" test "$FINAL_STATUS" = failed
note=$(deploy_note "$bare" production "$COMMIT")
if grep -q "pushgate.yaml:[0-9]*:[0-9]*: error: .*inside pushgated's state folder" <<<"$note"; then
  pass "the note names pushgate.yaml:line:col and the state folder"
else
  fail "the note does not say why" "$note"
fi
check "nothing was written into the state folder" test ! -e "$DAEMON_DIR/state/app"
write_repo_config "$target"

# ---------------------------------------------------------------- caps

# vm_hwm PID: the process's peak resident set, in KiB.
vm_hwm() { sed -nE 's/^VmHWM:[[:space:]]+([0-9]+) kB/\1/p' "/proc/$1/status"; }

test_case "a 64 MiB blob under the cap is streamed into the release"
before=$(vm_hwm "$DAEMON_PID")
head -c $((64 << 20)) /dev/zero >"$dev/deploy/prod/big.bin"
push_and_wait streamed
after=$(vm_hwm "$DAEMON_PID")
check "it is deployed" test "$FINAL_STATUS" = succeeded
check "whole" test "$(stat -c %s "$target/current/big.bin" 2>&1)" = $((64 << 20))
echo "    pushgated VmHWM: $before KiB before, $after KiB after"
check "the daemon's peak memory grew by less than 32 MiB ($before -> $after KiB)" test $((after - before)) -lt 32768

# E2E_BIG_MIB=1024 measures with the 1 GiB blob of the report (slower).
big_mib=${E2E_BIG_MIB:-200}
test_case "a $big_mib MiB blob that compresses to little is refused from its header"
before=$(vm_hwm "$DAEMON_PID")
head -c $((big_mib << 20)) /dev/zero >"$dev/deploy/prod/big.bin"
push_and_wait big
after=$(vm_hwm "$DAEMON_PID")
check "the deploy fails" test "$FINAL_STATUS" = failed
note=$(deploy_note "$bare" production "$COMMIT")
if grep -q "refusing to deploy 'big.bin': it is $big_mib.0 MiB ($((big_mib << 20)) bytes), over the cap of 100.0 MiB" \
  <<<"$note"; then
  pass "the note names the path, its size and the cap"
else
  fail "the note does not name the path, size and cap" "$note"
fi
echo "    pushgated VmHWM: $before KiB before, $after KiB after"
check "the daemon's peak memory grew by less than 32 MiB ($before -> $after KiB)" test $((after - before)) -lt 32768
check "the live release is still the last good one" test "$(cat "$target/current/index.html")" = "<h1>streamed</h1>"
git -C "$dev" rm -q deploy/prod/big.bin
commit_all "$dev" "no big file"

test_case "a .GIT folder in the pushed tree is never deployed"
# git itself refuses to write such a tree; an old repository may hold one.
git --git-dir="$bare" config receive.fsckObjects false
config_blob=$(printf '[core]\n\tfsmonitor = touch %s/pwned\n' "$E2E_TMP" | git -C "$dev" hash-object -w --stdin)
dotgit=$(printf '100644 blob %s\tconfig\n' "$config_blob" | git -C "$dev" mktree)
prod=$(git -C "$dev" rev-parse HEAD:deploy/prod)
newprod=$( (git -C "$dev" ls-tree "$prod"; printf '040000 tree %s\t.GIT\n' "$dotgit") | git -C "$dev" mktree)
deploy=$(printf '040000 tree %s\tprod\n' "$newprod" | git -C "$dev" mktree)
root=$( (git -C "$dev" ls-tree HEAD | grep -v $'\tdeploy$'; printf '040000 tree %s\tdeploy\n' "$deploy") |
  git -C "$dev" mktree)
COMMIT=$(git -C "$dev" commit-tree -p HEAD -m dotgit "$root")
push "$dev" origin "$COMMIT:refs/heads/main"
job=$(queued_jobs | sed -n 's/^production //p' | head -n 1)
wait_for_final "$bare" production "$COMMIT" "${job:-0}" 15
check "the deploy fails" test "$FINAL_STATUS" = failed
expect_note_says "$bare" production "$COMMIT" "refusing to deploy '.GIT'"
check "no release holds a .GIT folder" bash -c "! ls -d '$target'/releases/*/.GIT 2>/dev/null | grep -q ."

stop_daemon
finish
