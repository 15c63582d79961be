#!/usr/bin/env bash
# Concurrency: 20 pushers, each with its own clone, push to 5 repositories at
# once (4 per repository, several commits per push); each repository maps its
# main branch to 2 environments; one pushgated with 4 workers deploys them.
# Every push is accepted or rejected by git's own rules (the pushers fetch,
# rebase and try again), every accepted head ends deployed or superseded in
# exactly one final record per environment, the last head is live, and no
# record is lost.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/deploy_lib.sh"

k_repos=5
k_pushers_per_repo=4
k_rounds=3            # pushes per pusher
k_commits_per_push=2
k_max_tries=50        # pushes a pusher tries per round before it gives up
envs=(blue green)

# ---------------------------------------------------------------- set-up

write_daemon_config 4
target=$E2E_TMP/target
results=$E2E_TMP/pushers
mkdir -p "$target" "$results"

# seed_repo NAME: a bare repository whose main maps to blue (deploy/blue) and
# green (deploy/green), with a first commit pushed and its jobs noted.
seed_repo() {
  local name=$1 bare=$E2E_SRV/$1.git env seed=$E2E_WORK/seed-$1
  make_deploy_bare "$name"
  {
    echo "environments:"
    for env in "${envs[@]}"; do
      printf '  %s:\n    branch: main\n    path: deploy/%s\n' "$env" "$env"
      # A deploy takes a moment, so pushes pile up and the newest supersedes the others.
      printf '    deployer: {type: local, dir: %s, keep_releases: 2, after: [["/bin/sleep", "0.3"]]}\n' \
        "$target/$name/$env"
    done
  } >"$bare/pushgate.yaml"
  make_clone "file://$bare" "seed-$name"
  for env in "${envs[@]}"; do
    manifest_configmap "$env" | write_file "$seed" "deploy/$env/config.yaml"
  done
  commit_all "$seed" "seed $name"
  push "$seed" origin main
  ((E2E_RC == 0)) || die "the first push to $name failed" "$E2E_OUT"
  record_accepted "$name" "$(rev "$seed" HEAD)" "$results/seed-$name"
}

# record_accepted REPO HEAD FILE: appends "accepted REPO HEAD ENV JOB" per job
# the last push (in E2E_OUT) queued.
record_accepted() {
  local env job
  while read -r env job; do
    [[ -n $env ]] && echo "accepted $1 $2 $env $job" >>"$3"
  done <<<"$(queued_jobs)"
  echo "pushed $1 $2" >>"$3"
}

# pusher ID REPO: k_rounds pushes of k_commits_per_push commits each; on a
# rejection by git's rules it fetches, rebases and tries again. Writes what
# happened to $results/ID; anything else (and its output) to $results/ID.err.
pusher() {
  local id=$1 repo=$2 clone=$E2E_WORK/pusher-$1 out=$results/$1 round c try env
  for ((round = 1; round <= k_rounds; round++)); do
    for ((c = 1; c <= k_commits_per_push; c++)); do
      for env in "${envs[@]}"; do
        printf 'pusher %s round %s commit %s\n' "$id" "$round" "$c" >"$clone/deploy/$env/pusher-$id.txt"
      done
      if ! git -C "$clone" add -A || ! git -C "$clone" commit -q -m "pusher $id round $round commit $c"; then
        echo "commit failed" >>"$out.err"
        return
      fi
    done
    for ((try = 1; ; try++)); do
      local head
      head=$(git -C "$clone" rev-parse HEAD)
      push "$clone" origin HEAD:main
      if ((E2E_RC == 0)); then
        record_accepted "$repo" "$head" "$out"
        break
      fi
      if grep -qE '\[rejected\].*\((fetch first|non-fast-forward)\)' <<<"$E2E_OUT"; then
        echo "rejected non-fast-forward" >>"$out"
      elif grep -q 'remote rejected.*(failed to update ref)' <<<"$E2E_OUT" &&
        grep -qE "cannot lock ref|but expected|is at [0-9a-f]+ but" <<<"$E2E_OUT"; then
        # Another push moved the branch between this one's check and its
        # update: receive-pack's compare-and-swap on the ref refused it.
        echo "rejected lost-race" >>"$out"
      else
        printf 'push exited %s:\n%s\n' "$E2E_RC" "$E2E_OUT" >>"$out.err"
        return
      fi
      if ((try >= k_max_tries)); then
        echo "gave-up $round" >>"$out"
        break
      fi
      sleep "0.0$((RANDOM % 10))"
      local pulled
      pulled=$(git -C "$clone" pull -q --rebase origin main 2>&1) ||
        { printf 'fetch and rebase failed:\n%s\n' "$pulled" >>"$out.err"; return; }
    done
  done
}

for ((r = 1; r <= k_repos; r++)); do
  make_deploy_bare "repo$r"
done
start_daemon
for ((r = 1; r <= k_repos; r++)); do seed_repo "repo$r"; done
for ((p = 1; p <= k_repos * k_pushers_per_repo; p++)); do
  r=$(((p - 1) % k_repos + 1))
  make_clone "file://$E2E_SRV/repo$r.git" "pusher-$p"
done

# ---------------------------------------------------------------- the rush

test_case "$((k_repos * k_pushers_per_repo)) pushers at once"
started=$SECONDS
pids=()
for ((p = 1; p <= k_repos * k_pushers_per_repo; p++)); do
  pusher "$p" "repo$(((p - 1) % k_repos + 1))" &
  pids+=("$!")
  E2E_PIDS+=("$!")
done
for pid in "${pids[@]}"; do wait "$pid"; done
echo "the pushers took $((SECONDS - started)) s"

errors=$(for f in "$results"/*.err; do [[ -e $f ]] && { echo "== ${f##*/}"; cat "$f"; }; done)
if [[ -z $errors ]]; then
  pass "every push was accepted or rejected by git's own rules"
else
  fail "some pushes failed otherwise" "$errors"
fi
all=$(cat "$results"/*)
n_pushed=$(grep -c '^pushed ' <<<"$all")
echo "$n_pushed pushes accepted, $(grep -c '^rejected non-fast-forward' <<<"$all") rejected as non-fast-forward," \
  "$(grep -c '^rejected lost-race' <<<"$all") lost the race for the ref"
gave_up=$(grep '^gave-up' <<<"$all")
check "no pusher gave up after $k_max_tries tries" test -z "$gave_up"
expected_pushes=$((k_repos + k_repos * k_pushers_per_repo * k_rounds))
check "$expected_pushes pushes were accepted ($n_pushed)" test "$n_pushed" = "$expected_pushes"
n_jobs=$(grep -c '^accepted ' <<<"$all")
check "each accepted push queued one job per environment" test "$n_jobs" = $((n_pushed * ${#envs[@]}))

if wait_spool_idle 60; then
  pass "pushgated worked through every job"
else
  fail "jobs are still waiting or running after 60 s" "$(ls -R "$DAEMON_SPOOL/new" "$DAEMON_SPOOL/active")" \
    "$(tail -20 "$DAEMON_LOG")"
fi

# ---------------------------------------------------------------- verdict

for ((r = 1; r <= k_repos; r++)); do
  repo=repo$r bare=$E2E_SRV/repo$r.git
  test_case "$repo"
  head=$(rev "$bare" refs/heads/main)
  check "main is the head of an accepted push" grep -q "^pushed $repo $head\$" <<<"$all"
  lost=()
  while read -r _ _ pushed; do
    git --git-dir="$bare" merge-base --is-ancestor "$pushed" "$head" 2>/dev/null || lost+=("${pushed:0:7}")
  done < <(grep "^pushed $repo " <<<"$all")
  check "every accepted head is in main's history (lost: ${lost[*]:-none})" test ${#lost[@]} = 0

  for env in "${envs[@]}"; do
    bad=()
    while read -r _ _ commit _ job; do
      records=$(final_records "$bare" "$env" "$commit" "$job")
      if [[ $(grep -c . <<<"$records") != 1 ]] || ! grep -qE ' status=(succeeded|superseded) ' <<<"$records"; then
        bad+=("job $job on ${commit:0:7}: ${records:-no final record}")
      fi
    done < <(grep "^accepted $repo [0-9a-f]* $env " <<<"$all")
    if ((${#bad[@]} == 0)); then
      pass "$env: every accepted head has exactly one final record, succeeded or superseded"
    else
      fail "$env: accepted heads without exactly one succeeded or superseded record" "${bad[@]}"
    fi
    n_expected=$(grep -c "^accepted $repo [0-9a-f]* $env " <<<"$all")
    records=$(git --git-dir="$bare" log --notes="deploy/$env" --format='%N' --all | grep " env=$env ")
    lines=$(grep -c . <<<"$records")
    check "$env: $n_expected records in the notes, one per job ($lines)" test "$lines" = "$n_expected"
    # A superseded job never ran: it has a record but no log of an attempt.
    n_attempts=$(grep -vc ' status=superseded ' <<<"$records")
    logs=$(git --git-dir="$bare" log --notes="deploy-log/$env" --format='%N' --all | grep -c '^=== .* job [0-9]*: ')
    check "$env: $n_attempts attempts in the deploy-log notes ($logs)" test "$logs" = "$n_attempts"
    check "$env: the last head ${head:0:7} is recorded as succeeded" \
      bash -c "git --git-dir='$bare' notes --ref=deploy/$env show $head | grep -q ' status=succeeded '"
    assert_live "$target/$repo/$env" "$bare" "$head" "deploy/$env"
  done
  assert_fsck "$bare"
done

test_case "the daemon"
outcomes=$(cat "$DAEMON_SPOOL"/done/*.json | grep -oE '"status":"[a-z-]+"' | sort | uniq -c | tr -s ' \n' ' ')
echo "outcomes:$outcomes"
check "some jobs were superseded (coalescing was exercised)" grep -q superseded <<<"$outcomes"
failed=$(grep -l '"status":"failed"' "$DAEMON_SPOOL"/done/*.json 2>/dev/null)
check "no job failed" test -z "$failed"
check "the spool holds $n_jobs finished jobs" test "$(find "$DAEMON_SPOOL/done" -name '*.json' | wc -l)" = "$n_jobs"
stop_daemon
check "pushgated stops cleanly on SIGTERM" test "$DAEMON_RC" = 0

finish
