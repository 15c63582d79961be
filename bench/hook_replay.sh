#!/usr/bin/env bash
# pushgate-pre-receive alone, on one push replayed many times: what it costs
# from exec to exit, without git, ssh or the machine's other pushes around it.
#
#   bench/hook_replay.sh            (PUSHGATE_BIN=DIR to pick the binaries;
#                                    BASE_BIN=DIR to compare with other ones)
#
# A bare repository per binaries folder, hooked by its own `pushgate install`
# (schema, policy, secrets and, with SIGNED=1, signatures on, as in
# push_overhead.sh), gets the whole tree and one push of CHANGED manifests;
# then a push of CHANGED more is captured as git hands it to pre-receive
# (standard input, GIT_* environment, a copy of the quarantined objects) and
# refused, so the repository stays as it was. Each run replays it with the
# saved index of the new tree removed first, so that every run saves one, as
# a real push does. With BASE_BIN the two binaries take turns.
#
# Knobs (environment): FILES=5000, CHANGED=10, RUNS=30, SIGNED=1, SCHEMA (see
# push_overhead.sh). Prints, per binary: wall time until the hook has exited
# and closed its output (what git waits for), and the CPU time (user+sys, all
# threads) of the processes waited for: a child that saves the index after
# the hook has answered is not in either.

# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/common.sh"
# shellcheck source-path=SCRIPTDIR
source "$bench_dir/push_common.sh"

FILES=${FILES:-5000}
CHANGED=${CHANGED:-10}
RUNS=${RUNS:-30}
SIGNED=${SIGNED:-1}
work=$bench_tmp/work

echo "pushgate pre-receive replay benchmark"
bench_machine
bins=("$bench_bin")
if [[ -n ${BASE_BIN:-} ]]; then
  bins+=("$(cd "$BASE_BIN" && pwd)")
  [[ -x ${bins[1]}/pushgate-pre-receive ]] || die "no pushgate-pre-receive in BASE_BIN=$BASE_BIN"
fi
echo "binaries: ${bins[*]}"
schema=$(bench_schema)
push_isolate_git
push_work_tree
echo "tree: $summary; the replayed push changes $CHANGED manifests; $RUNS runs each"

# Replaces REPO's pre-receive by one that keeps what git gives it in DIR, and
# refuses the push.
capture_hook() {  # REPO DIR
  mkdir -p "$2"
  mv "$1/hooks/pre-receive" "$2/pre-receive.installed"
  cat >"$1/hooks/pre-receive" <<EOC
#!/bin/sh
env | grep '^GIT_' >'$2/env'
cat >'$2/stdin'
cp -a "\$GIT_QUARANTINE_PATH" '$2/objects'
printf '%s\n' "\$GIT_QUARANTINE_PATH" >'$2/quarantine'
exit 1
EOC
  chmod +x "$1/hooks/pre-receive"
}

push_change_manifests 0
push_change_manifests 1
git -C "$work" tag round-1
git -C "$work" reset -q --hard HEAD~2
for i in "${!bins[@]}"; do
  push_new_bare "repo$i" yes "${bins[$i]}"
  for rev in main round-1~1; do
    git -C "$work" push -q "file://$bench_tmp/repo$i.git" "$rev:main" >"$bench_tmp/push.log" 2>&1 ||
      die "push of $rev to repo$i failed: $(tail -5 "$bench_tmp/push.log")"
  done
  capture_hook "$bench_tmp/repo$i.git" "$bench_tmp/capture$i"
  if git -C "$work" push -q "file://$bench_tmp/repo$i.git" round-1:main 2>/dev/null; then
    die "the push to capture was accepted"
  fi
  mv "$bench_tmp/capture$i/pre-receive.installed" "$bench_tmp/repo$i.git/hooks/pre-receive"
done

python3 - "$RUNS" "$bench_tmp" "$(git -C "$work" rev-parse 'round-1^{tree}')" "${bins[@]}" <<'EOF'
import os, resource, statistics, subprocess, sys, time
runs, tmp, tree, bins = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4:]
setups = []
for i, b in enumerate(bins):
    cap = f"{tmp}/capture{i}"
    quarantine = open(f"{cap}/quarantine").read().strip()
    env = {"PATH": "/usr/bin:/bin"}
    for line in open(f"{cap}/env"):
        key, _, value = line.rstrip("\n").partition("=")
        env[key] = value.replace(quarantine, f"{cap}/objects")
    setups.append((b, f"{tmp}/repo{i}.git", env, open(f"{cap}/stdin", "rb").read()))
wall = {b: [] for b in bins}
cpu = {b: [] for b in bins}
for run in range(runs + 1):                      # run 0 warms up
    for b, repo, env, stdin in setups if run % 2 else reversed(setups):
        try:
            os.unlink(f"{repo}/pushgate/trees/{tree}")
        except FileNotFoundError:
            pass
        time.sleep(0.05)                         # the last run's index writer is done
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        p = subprocess.Popen([f"{b}/pushgate-pre-receive"], cwd=repo, env=env, stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        output, _ = p.communicate(stdin)
        elapsed = (time.perf_counter() - start) * 1000
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if p.returncode != 0 or b"push accepted" not in output:
            sys.exit(f"bench: {b}/pushgate-pre-receive exited {p.returncode}: {output.decode()[-2000:]}")
        if run:
            wall[b].append(elapsed)
            cpu[b].append((after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) * 1000)
print()
print(f"{'binaries':<50}{'wall median':>12}{'min':>8}{'CPU median':>12}")
for b in bins:
    print(f"{b:<50}{statistics.median(wall[b]):>12.2f}{min(wall[b]):>8.2f}{statistics.median(cpu[b]):>12.2f}")
EOF
bench_load
