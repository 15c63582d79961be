#!/usr/bin/env bash
# Crash safety: 20 pushes, each deployed to two environments while pushgated
# is killed with SIGKILL at a random point and started again. Afterwards every
# accepted push has exactly one final record per environment (an
# `interrupted` record may come before it), no release folder with a final
# name is incomplete, `current` points to a whole release of the commit it is
# named for, and `git fsck --strict` is clean.
#
# E2E_SEED=N replays the random kill points of an earlier run.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/deploy_lib.sh"

k_rounds=20
k_files=40   # files per environment in each commit: materializing takes a moment too
RANDOM=${E2E_SEED:-$$}
echo "random seed: E2E_SEED=${E2E_SEED:-$$}"

# ---------------------------------------------------------------- set-up

write_daemon_config 2
target=$E2E_TMP/target
mkdir -p "$target"

# A step that takes 0-300 ms, so that kills land before, in and after it.
nap=$E2E_TMP/nap
# shellcheck disable=SC2016  # expanded by the script, not here
printf '#!/bin/bash\nsleep "0.$(printf %%03d $((RANDOM %% 300)))"\n' >"$nap"
chmod +x "$nap"

make_deploy_bare crash
bare=$E2E_SRV/crash.git
# prod runs a cut-off deploy again; edge rolls back to its last good release.
cat >"$bare/pushgate.yaml" <<EOF
environments:
  prod:
    branch: main
    path: deploy/prod
    deployer: {type: local, dir: $target/prod, keep_releases: 3}
    health: {command: ["$nap"], timeout: 5s, retries: 1}
    retry: {on_interrupt: retry}
  edge:
    branch: main
    path: deploy/edge
    deployer: {type: local, dir: $target/edge, keep_releases: 3, before: [["$nap"]], after: [["$nap"]]}
    retry: {on_interrupt: rollback}
EOF
envs=(prod edge)

make_clone "file://$bare" dev
dev=$E2E_WORK/dev

# commit_round N: a commit whose deployed subtrees all say N.
commit_round() {
  local env f
  for env in "${envs[@]}"; do
    manifest_configmap "$env-config" | write_file "$dev" "deploy/$env/config.yaml"
    for ((f = 0; f < k_files; f++)); do printf '%s round %s file %s\n' "$env" "$1" "$f" >"$dev/deploy/$env/f$f.txt"; done
    ln -sfn f0.txt "$dev/deploy/$env/first"
  done
  commit_all "$dev" "round $1"
  rev "$dev" HEAD
}
mkdir -p "$dev/deploy/prod" "$dev/deploy/edge"

# check_release_folders ENV: every release under the env's folder with a
# final name is whole (exactly its commit's subtree), and `current` points to
# one of them. Quiet when all is well; sets RELEASES_OK.
check_release_folders() {
  local env=$1 dir=$target/$1 entry id commit listing
  RELEASES_OK=1
  for entry in "$dir"/releases/*; do
    [[ -e $entry ]] || continue
    id=${entry##*/}
    commit=$(sed -nE 's/^[0-9]{8}T[0-9]{6}Z-([0-9a-f]{12})-j[0-9]+(-r[0-9]+)?(-a[0-9]+)?$/\1/p' <<<"$id")
    if [[ -z $commit || ! -d $entry || -L $entry ]]; then
      fail "$env: releases/$id is not a release folder" "$(ls -la "$dir/releases")"
      RELEASES_OK=0
      continue
    fi
    if ! listing=$(diff <(tree_of_commit "$bare" "$commit" "deploy/$env") <(tree_listing "$entry") 2>&1); then
      fail "$env: release $id is not exactly ${commit:0:7}'s deploy/$env" "$listing"
      RELEASES_OK=0
    fi
  done
  local live
  live=$(readlink "$dir/current" 2>/dev/null)
  if [[ -n $live && ( $live != releases/* || $live == *.partial || ! -d $dir/$live ) ]]; then
    fail "$env: current points to '$live', which is no complete release" "$(ls -la "$dir/releases")"
    RELEASES_OK=0
  fi
}

# final_statuses ENV: "COMMIT STATUS JOB" for every final record in the env's notes.
final_statuses() {
  local note commit
  git --git-dir="$bare" notes --ref="deploy/$1" list | while read -r note commit; do
    git --git-dir="$bare" cat-file blob "$note" |
      sed -nE "s/^[^ ]+ env=[^ ]+ status=($k_final_statuses) job=([0-9]+)( .*)?$/$commit \1 \2/p"
  done
}

# lock_holders: the processes that hold the daemon's lock file open.
lock_holders() {
  local fd pid
  for fd in /proc/[0-9]*/fd/*; do
    [[ $(readlink "$fd" 2>/dev/null) == "$DAEMON_DIR/state/pushgated.lock" ]] || continue
    pid=${fd#/proc/}
    pid=${pid%%/*}
    echo "pid $pid ($(cat "/proc/$pid/comm" 2>/dev/null), $(grep -h '^State' "/proc/$pid/status" 2>/dev/null)," \
      "wchan $(cat "/proc/$pid/wchan" 2>/dev/null)): $(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)"
  done | sort -u
}

# restart_after_kill: starts pushgated right after its predecessor was
# killed and checks that it comes up. If it does not, says why (who holds the
# lock) and starts it again once it can, so the later rounds still count.
restart_after_kill() {
  launch_daemon
  for _ in $(seq 200); do
    daemon_answers && return 0
    kill -0 "$DAEMON_PID" 2>/dev/null || break
    sleep 0.05
  done
  fail "pushgated does not come up right after kill -9 of its predecessor" \
    "$(tail -3 "$DAEMON_LOG")" "lock held by:" "$(lock_holders)"
  kill_daemon
  for _ in $(seq 100); do
    [[ -z $(lock_holders) ]] && break
    sleep 0.05
  done
  start_daemon
}

start_daemon

# ---------------------------------------------------------------- rounds

accepted=()   # "COMMIT ENV JOB" for every job an accepted push queued
kills_in_flight=0
for ((round = 1; round <= k_rounds; round++)); do
  test_case "round $round: push, kill -9 pushgated, start it again"
  commit=$(commit_round "$round")
  push "$dev" origin main
  if ((E2E_RC != 0)); then
    fail "the push of round $round failed (exit $E2E_RC)" "$E2E_OUT"
    continue
  fi
  jobs=$(queued_jobs)
  if [[ $(wc -l <<<"$jobs") != 2 ]] || ! grep -q '^prod ' <<<"$jobs" || ! grep -q '^edge ' <<<"$jobs"; then
    fail "the push did not queue one job per environment" "$E2E_OUT"
  fi
  delay=$((RANDOM % 400))
  sleep "$(printf '0.%03d' "$delay")"
  spool_idle || kills_in_flight=$((kills_in_flight + 1))
  kill_daemon
  restart_after_kill
  all_final=1
  while read -r env job; do
    [[ -n $env ]] || continue
    accepted+=("$commit $env $job")
    if ! wait_for_final "$bare" "$env" "$commit" "$job" 20; then
      all_final=0
      fail "$env: job $job of ${commit:0:7} has no final record after the restart (killed after $delay ms)" \
        "note: $(deploy_note "$bare" "$env" "$commit")" "daemon log:" "$(tail -25 "$DAEMON_LOG")"
    fi
  done <<<"$jobs"
  ((all_final)) && pass "both jobs ended (killed $delay ms after the push)"
  for env in "${envs[@]}"; do
    check_release_folders "$env"
    ((RELEASES_OK)) && pass "$env: every named release is whole and current points to one"
  done
done
echo "$kills_in_flight of $k_rounds kills landed while a job was waiting or running"

# ---------------------------------------------------------------- verdict

test_case "after $k_rounds crashes"
if wait_spool_idle 20; then pass "no job is left waiting or running"; else fail "jobs are left in the spool" "$(ls -R "$DAEMON_SPOOL")"; fi
stop_daemon
check "pushgated stops cleanly on SIGTERM" test "$DAEMON_RC" = 0

for env in "${envs[@]}"; do
  finals=$(final_statuses "$env")
  missing=() doubled=()
  for entry in "${accepted[@]}"; do
    read -r commit e job <<<"$entry"
    [[ $e == "$env" ]] || continue
    n=$(grep -c "^$commit [^ ]* $job\$" <<<"$finals")
    if ((n == 0)); then missing+=("job $job (${commit:0:7})"); elif ((n > 1)); then doubled+=("job $job (${commit:0:7})"); fi
  done
  if ((${#missing[@]} == 0 && ${#doubled[@]} == 0)); then
    pass "$env: every accepted push has exactly one final record"
  else
    fail "$env: final records are missing for ${missing[*]:-none}; doubled for ${doubled[*]:-none}" "$finals"
  fi
  count=$(grep -c . <<<"$finals")
  check "$env: $k_rounds final records in all, none more" test "$count" = "$k_rounds"

  # The newest successful deploy is what is live.
  newest=$(awk '$2 == "succeeded" {print $3, $1}' <<<"$finals" | sort -n | tail -n 1 | cut -d' ' -f2)
  live=$(live_commit "$target/$env")
  if [[ -n $newest && $live == "${newest:0:12}" ]]; then
    pass "$env: the newest succeeded commit ${newest:0:7} is live"
  elif [[ -z $newest && $env == edge ]]; then
    # On a loaded machine every kill can land while edge deploys: with no
    # good release to roll back to, each cut-off deploy ends failed (checked
    # below) and what is live is whatever the last one left.
    echo "note: edge: no deploy succeeded ($kills_in_flight kills landed in flight); live is '${live:-nothing}'"
  else
    fail "$env: live is '${live:-nothing}', the newest succeeded commit is '${newest:-none}'" "$finals" \
      "$(ls -la "$target/$env" "$target/$env/releases")"
  fi
  [[ -n $newest ]] && assert_live "$target/$env" "$bare" "$newest" "deploy/$env"
  check_release_folders "$env"
  ((RELEASES_OK)) && pass "$env: every named release is whole and current points to one"
done

others=$(final_statuses prod | awk '$2 != "succeeded"')
if [[ -z $others ]]; then
  pass "prod (on_interrupt: retry) ended succeeded every time"
else
  fail "prod (on_interrupt: retry) has other outcomes than succeeded" "$others"
fi
others=$(final_statuses edge | awk '$2 != "succeeded" && $2 != "rolled-back"')
first_ok=$(final_statuses edge | awk '$2 == "succeeded" {print $3}' | sort -n | head -n 1)
bad=$(awk -v first="${first_ok:-999999999}" '!($2 == "failed" && $3 < first)' <<<"$others" | grep .)
if [[ -z $bad ]]; then
  pass "edge (on_interrupt: rollback) ended succeeded or rolled-back (failed only before any success)"
else
  fail "edge (on_interrupt: rollback) has unexpected outcomes" "$bad" \
    "$(git --git-dir="$bare" log --notes=deploy/edge --format='%h %N' main)"
fi

# A kill that lands while the daemon holds a notes ref's lock file (libgit2
# writes the new value to REF.lock and renames it over REF) leaves that file
# behind. Random kills rarely hit that instant; this makes it happen.
test_case "a notes ref lock left by a writer killed mid-update loses no record"
git --git-dir="$bare" rev-parse refs/notes/deploy/prod >"$bare/refs/notes/deploy/prod.lock"
start_daemon
commit=$(commit_round last)
push "$dev" origin main
while read -r env job; do
  [[ -n $env ]] || continue
  if wait_for_final "$bare" "$env" "$commit" "$job" 20; then
    pass "$env: job $job of ${commit:0:7} ended $FINAL_STATUS, and it is on record"
  else
    fail "$env: job $job of ${commit:0:7} has no final record" "note: $(deploy_note "$bare" "$env" "$commit")" \
      "spool: $(cat "$DAEMON_SPOOL/done/$job.json" 2>&1)" "daemon log:" "$(tail -4 "$DAEMON_LOG")"
  fi
done <<<"$(queued_jobs)"
stop_daemon
rm -f "$bare/refs/notes/deploy/prod.lock"

assert_fsck "$bare"

finish
