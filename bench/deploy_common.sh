# shellcheck shell=bash
# Shared by the deploy benchmarks (deploy_latency.sh, hook_cost.sh,
# daemon_idle.sh): sourced after common.sh, never run.
#
# Gives: $bench_daemon (pushgated), $bench_post_receive; bench_isolate_git;
# bench_daemon_config DIR (writes DIR/pushgated.yaml, sets $daemon_cfg and
# $spool); bench_start_daemon LOG (starts pushgated, waits until it serves,
# sets $daemon_pid); bench_deploy_repo NAME BRANCH:ENV... (a bare repository
# with pushgate's hooks, whose environments deploy with the local deployer);
# bench_work_tree DIR FILES (a clone with FILES manifests under deploy/);
# bench_commit_change DIR ROUND; bench_job_id OUTPUT; bench_wait_done ID [SECONDS];
# bench_stats (median, p99, min, max of numbers on standard input);
# bench_time_runs LABEL COMMAND... (median and max of RUNS runs).

bench_daemon=$bench_bin/pushgated
bench_post_receive=$bench_bin/pushgate-post-receive
for _binary in "$bench_daemon" "$bench_post_receive"; do
  [[ -x $_binary ]] || die "no $_binary: build the pushgated and pushgate-post-receive targets"
done

# Keeps everyone's git settings out, so every repository sees the same configuration.
bench_isolate_git() {
  printf '[user]\n\tname = bench\n\temail = bench@example.invalid\n[init]\n\tdefaultBranch = main\n' \
    >"$bench_tmp/gitconfig"
  export GIT_CONFIG_GLOBAL=$bench_tmp/gitconfig GIT_CONFIG_NOSYSTEM=1
}

bench_daemon_config() {  # DIR [WORKERS]
  mkdir -p "$1"
  daemon_cfg=$1/pushgated.yaml
  spool=$1/spool
  # pushgated deploys only the repositories its config names: every one the benchmark makes.
  printf 'spool: %s\nstate: %s\nsocket: %s\nworkers: %s\nwait_limit: 30s\nrepositories: ["%s/**"]\n' \
    "$spool" "$1/state" "$1/pushgated.sock" "${2:-2}" "$bench_tmp" >"$daemon_cfg"
}

# Starts pushgated with its standard error going to LOG (a file or a FIFO
# that something reads), and waits until it says it serves.
bench_start_daemon() {  # LOG [READABLE-COPY-OF-LOG]
  "$bench_daemon" --config "$daemon_cfg" 2>"$1" &
  daemon_pid=$!
  bench_pids+=("$daemon_pid")
  for _ in $(seq 200); do
    if grep -q ' serving ' "${2:-$1}" 2>/dev/null; then return; fi
    kill -0 "$daemon_pid" 2>/dev/null || die "pushgated exited at start: $(tail -5 "${2:-$1}")"
    sleep 0.025
  done
  die "pushgated did not start within 5 s: $(tail -5 "${2:-$1}")"
}

# A bare repository $bench_tmp/NAME.git with pushgate's hooks, handing jobs to
# the daemon of $daemon_cfg; each BRANCH:ENV deploys BRANCH's deploy/ folder
# to $bench_tmp/targets/NAME/ENV. $bench_before, if set, is the YAML argv list
# list of the environments' `before` commands; $bench_drift, if set, their
# `drift:` mapping.
bench_deploy_repo() {  # NAME BRANCH:ENV...
  local name=$1 repo=$bench_tmp/$1.git pair
  shift
  git init -q --bare -b main "$repo"
  git -C "$repo" config receive.autogc false
  git -C "$repo" config gc.auto 0
  "$bench_bin/pushgate" install "$repo" --daemon-config "$daemon_cfg" >/dev/null
  {
    echo "environments:"
    for pair in "$@"; do
      cat <<EOF
  ${pair#*:}:
    branch: ${pair%%:*}
    path: deploy
    deployer:
      type: local
      dir: "$bench_tmp/targets/$name/${pair#*:}"
      keep_releases: 3
EOF
      if [[ -n ${bench_before:-} ]]; then echo "      before: $bench_before"; fi
      if [[ -n ${bench_drift:-} ]]; then echo "    drift: $bench_drift"; fi
    done
  } >>"$repo/pushgate.yaml"
}

bench_work_tree() {  # DIR FILES
  python3 "$bench_dir/gen_manifests.py" "$1/deploy" --files "$2" >/dev/null
  git -C "$1" init -q -b main
  git -C "$1" add -A
  git -C "$1" commit -q -m "initial tree"
}

# Bumps the revision annotation of one manifest (a different one each round) and commits.
bench_commit_change() {  # DIR ROUND
  local files
  mapfile -t files < <(git -C "$1" ls-files deploy)
  sed -i "s|bench.pushgate.dev/revision: \"[0-9]*\"|bench.pushgate.dev/revision: \"$(($2 + 1))\"|" \
    "$1/${files[$(($2 % ${#files[@]}))]}"
  git -C "$1" commit -q -am "round $2"
}

# The job number in post-receive's "queued deploy of ... (job N)" line.
bench_job_id() {  # OUTPUT
  local id
  id=$(sed -n 's/.*pushgate: queued deploy of .* (job \([0-9]*\)).*/\1/p' <<<"$1" | tail -1)
  [[ -n $id ]] || die "no 'queued deploy' line in: $1"
  echo "$id"
}

# Waits (at most SECONDS, default 60) until the daemon has finished job ID.
bench_wait_done() {  # ID [SECONDS]
  for _ in $(seq $((${2:-60} * 100))); do
    if [[ -e $spool/done/$1.json ]]; then return; fi
    sleep 0.01
  done
  die "job $1 did not finish within ${2:-60} s"
}

# Numbers on standard input (one a line) -> "median p99 min max count";
# p99 is the nearest-rank percentile.
bench_stats() {
  python3 -c '
import math, statistics, sys
v = sorted(float(x) for x in sys.stdin.read().split())
if not v: sys.exit("bench: no samples")
p99 = v[max(0, math.ceil(0.99 * len(v)) - 1)]
print(f"{statistics.median(v):.3f} {p99:.3f} {v[0]:.3f} {v[-1]:.3f} {len(v)}")'
}

# Runs COMMAND RUNS times (exit 0 or 1, as diff tools say "differs"), prints
# the median and max in ms and keeps the median in TIME_RUNS_MEDIAN.
bench_time_runs() {  # LABEL COMMAND...
  local label=$1 t0 t1 stats
  shift
  stats=$(for _ in $(seq "$RUNS"); do
    t0=$(bench_now)
    "$@" >/dev/null 2>&1 || [[ $? == 1 ]] || die "$label failed: $*"
    t1=$(bench_now)
    echo "$t0 $t1" | awk '{ printf "%.3f\n", ($2 - $1) * 1000 }'
  done | bench_stats)
  TIME_RUNS_MEDIAN=${stats%% *}
  awk -v l="$label" '{ printf "  %-44s median %8.1f ms  max %8.1f ms  (%d runs)\n", l, $1, $4, $5 }' <<<"$stats"
}
