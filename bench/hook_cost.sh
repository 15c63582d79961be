#!/usr/bin/env bash
# What pushgate's two hooks cost a push, with a running pushgated that
# deploys (local deployer) what post-receive queues.
#
#   bench/hook_cost.sh               (PUSHGATE_BIN=DIR to pick the binaries)
#
# 1. `git push` wall time, file://, the same commit each round to four bare
#    repositories: no hooks, pre-receive only, both hooks (`pushgate install`),
#    and both hooks handing jobs to a daemon that is not running (the job only
#    waits). The order rotates between rounds; the next push waits until the
#    deploy the last one queued has finished, so no deploy runs during the
#    next measurement (one does run beside the end of its own push).
# 2. The post-receive binary alone, started directly with a prepared stdin
#    and environment (as git starts it), against /bin/true: for a branch that
#    deploys nothing (config read only), queueing a job for a daemon that is
#    not running (enqueue, failed ping), queueing a deploy for the running
#    daemon (enqueue + ping while the deploy starts), and the latter through
#    the installed hook file (which the kernel starts as `#!program --hook-file`).
#
# Knobs (environment): ROUNDS=25 pushes per repository (plus one warm-up),
# RUNS=100 runs per post-receive series, FILES=100 manifests in the tree.
# Target: post-receive adds <= 5 ms.

source "$(dirname "$0")/common.sh"
source "$bench_dir/deploy_common.sh"

ROUNDS=${ROUNDS:-25}
RUNS=${RUNS:-100}
FILES=${FILES:-100}
times_file=$bench_tmp/times.txt
work=$bench_tmp/work

bench_isolate_git
echo "pushgate hook cost benchmark"
bench_machine
echo "binaries: $bench_bin"

bench_daemon_config "$bench_tmp/daemon" 2
bench_start_daemon "$bench_tmp/daemon/pushgated.log"

bench_deploy_repo both main:production
bench_deploy_repo pre main:production
rm "$bench_tmp/pre.git/hooks/post-receive"
# Both hooks, handing jobs to a daemon that is not running: what the hooks
# cost without a deploy running beside the end of the push.
main_cfg=$daemon_cfg main_spool=$spool
bench_daemon_config "$bench_tmp/stopped-daemon" 2
bench_deploy_repo idle main:production
daemon_cfg=$main_cfg spool=$main_spool
git init -q --bare -b main "$bench_tmp/plain.git"
git -C "$bench_tmp/plain.git" config receive.autogc false
git -C "$bench_tmp/plain.git" config gc.auto 0
bench_work_tree "$work" "$FILES"
echo "tree: $FILES manifests, deployed on every push to 'both'; $ROUNDS rounds after one warm-up"

push() {  # REPO ROUND
  local label=round-$1
  if (($2 == 0)); then label=warmup-$1; fi
  python3 "$bench_dir/timed.py" "$times_file" "$label" git -C "$work" push "file://$bench_tmp/$1.git" main \
    >"$bench_tmp/push.log" 2>&1 || die "push to $1 failed: $(cat "$bench_tmp/push.log")"
  if [[ $1 == both ]]; then bench_wait_done "$(bench_job_id "$(cat "$bench_tmp/push.log")")"; fi
  if [[ $1 != plain ]] && ! grep -q 'push accepted' "$bench_tmp/push.log"; then
    die "the push to $1 did not run pushgate's pre-receive: $(cat "$bench_tmp/push.log")"
  fi
}

orders=("plain pre both idle" "pre both idle plain" "both idle plain pre" "idle plain pre both")
for ((round = 0; round <= ROUNDS; round++)); do
  if ((round > 0)); then bench_commit_change "$work" "$round"; fi
  for repo in ${orders[$((round % 4))]}; do push "$repo" "$round"; done
done

echo "timing post-receive alone ($RUNS runs per series) ..."
head=$(git -C "$work" rev-parse HEAD)
parent=$(git -C "$work" rev-parse HEAD~1)
python3 - "$RUNS" "$bench_tmp" "$daemon_cfg" "$spool" "$bench_post_receive" "$parent" "$head" \
  "$times_file" <<'EOF'
import os, re, subprocess, sys, time
runs, tmp, cfg, spool, binary, old, new, times_file = sys.argv[1:9]
both, idle = os.path.join(tmp, "both.git"), os.path.join(tmp, "idle.git")
stopped_cfg = os.path.join(tmp, "stopped-daemon", "pushgated.yaml")
base_env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_PUSH_OPTION")}
# name: argv, branch, repository, daemon config
series = {
    "true": (["/bin/true"], "main", both, cfg),
    "post-receive, no deploy": ([binary], "other", both, cfg),
    "post-receive, queues, no daemon": ([binary], "main", idle, stopped_cfg),
    "post-receive, deploys": ([binary], "main", both, cfg),
    "hook file, deploys": ([os.path.join(both, "hooks", "post-receive")], "main", both, cfg),
}
times = {name: [] for name in series}
names = list(series)
for run in range(int(runs) + 1):                      # run 0 warms up
    for name in names[run % len(names):] + names[:run % len(names)]:
        argv, branch, repo, daemon = series[name]
        env = dict(base_env, GIT_DIR=".")
        if argv[0] == binary:   # the hook scripts name their daemon's config the same way
            argv = argv + ["--daemon-config", daemon]
        stdin = f"{old} {new} refs/heads/{branch}\n".encode()
        t0 = time.perf_counter()
        done = subprocess.run(argv, input=stdin, cwd=repo, env=env, capture_output=True)
        elapsed = (time.perf_counter() - t0) * 1000
        output = done.stdout.decode() + done.stderr.decode()
        if done.returncode != 0:
            sys.exit(f"bench: {name} exited {done.returncode}: {output}")
        job = re.search(r"queued deploy of \w+ to \w+ \(job (\d+)\)", output)
        if "deploys" in name:
            if not job or "not running" in output:
                sys.exit(f"bench: {name} queued nothing or found no daemon: {output}")
            deadline = time.monotonic() + 60
            while not os.path.exists(os.path.join(spool, "done", f"{job.group(1)}.json")):
                if time.monotonic() > deadline:
                    sys.exit(f"bench: job {job.group(1)} did not finish within 60 s")
                time.sleep(0.002)
        elif "queues" in name:
            if not job:
                sys.exit(f"bench: {name} queued nothing: {output}")
        elif name != "true" and output:
            sys.exit(f"bench: {name} printed something: {output}")
        if run:
            times[name].append(elapsed)
with open(times_file, "a") as f:
    for name, values in times.items():
        for v in values:
            f.write(f"direct-{name.replace(' ', '_')} {v / 1000:.6f} 0\n")
EOF

python3 - "$times_file" <<'EOF'
import statistics, sys
wall, cpu = {}, {}
for line in open(sys.argv[1]):
    label, w, c = line.split()
    wall.setdefault(label, []).append(float(w) * 1000)
    cpu.setdefault(label, []).append(float(c) * 1000)
med = statistics.median
print()
print(f"`git push` over file:// ({len(wall['round-plain'])} pushes each, ms):")
print(f"  {'repository':<26}{'median':>9}{'min':>9}{'max':>9}{'CPU median':>12}{'added':>9}")
plain = med(wall["round-plain"])
for repo, label in (("plain", "no hooks"), ("pre", "pre-receive only"), ("both", "both hooks"),
                    ("idle", "both hooks, no daemon")):
    w, c = wall[f"round-{repo}"], cpu[f"round-{repo}"]
    added = "" if repo == "plain" else f"{med(w) - plain:+.1f}"
    print(f"  {label:<26}{med(w):>9.1f}{min(w):>9.1f}{max(w):>9.1f}{med(c):>12.1f}{added:>9}")
print(f"  post-receive's share in the push (both - pre-receive only): "
      f"{med(wall['round-both']) - med(wall['round-pre']):+.1f} ms with the deploy starting beside it, "
      f"{med(wall['round-idle']) - med(wall['round-pre']):+.1f} ms with no daemon to deploy")
print()
direct = {k[len("direct-"):].replace("_", " "): v for k, v in wall.items() if k.startswith("direct-")}
runs = len(direct["true"])
base = med(direct["true"])
print(f"post-receive started directly, as git starts it ({runs} runs each, ms):")
print(f"  {'command':<34}{'median':>9}{'min':>9}{'max':>9}{'added':>9}")
for name in ("true", "post-receive, no deploy", "post-receive, queues, no daemon", "post-receive, deploys",
             "hook file, deploys"):
    v = direct[name]
    added = "" if name == "true" else f"{med(v) - base:+.2f}"
    print(f"  {name.replace('true', '/bin/true (no-op hook)'):<34}{med(v):>9.2f}{min(v):>9.2f}{max(v):>9.2f}{added:>9}")
added = med(direct["post-receive, deploys"]) - base
target = 5.0
print()
print(f"post-receive adds {added:.2f} ms (median, queueing one deploy, vs a no-op hook); "
      f"target <= {target:.0f} ms: {'met' if added <= target else 'MISSED'}")
EOF
bench_load
