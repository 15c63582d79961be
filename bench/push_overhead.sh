#!/usr/bin/env bash
# Push overhead of pushgate's hooks: the same push to a bare repository with
# `pushgate install` and to one without hooks, over file:// and ssh://.
#
#   bench/push_overhead.sh          (PUSHGATE_BIN=DIR to pick the binaries)
#
# Knobs (environment): FILES=5000 manifests in the tree, CHANGED=10 manifests
# changed per push, ROUNDS=15 measured pushes per repository, SCHEMA=the
# OpenAPI document the hooked repositories check objects against
# (validate.schemas; default: see bench_schema in common.sh), SIGNED=1: every
# commit signed with an ed25519 key (git's gpg.format=ssh) and the hooked
# repositories require it (validate.signatures); 0 leaves signatures out.
# Policy rules and the secret scan are always on, as in a default install.
# Targets: hooked/plain median ratio <= 1.10 over ssh://, <= 1.5 over file://.

# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/common.sh"
# start_loopback_sshd, the sshd the ssh:// end-to-end suites use too.
# shellcheck source-path=SCRIPTDIR/..
source "$bench_repo/tests/support/loopback_sshd.sh"
# shellcheck source-path=SCRIPTDIR
source "$bench_dir/push_common.sh"

FILES=${FILES:-5000}
CHANGED=${CHANGED:-10}
ROUNDS=${ROUNDS:-15}
SIGNED=${SIGNED:-1}
times_file=$bench_tmp/times.txt   # label wall_s cpu_s
hook_file=$bench_tmp/hook.txt     # phase elapsed_us peak_rss_kib, one line per hook run
work=$bench_tmp/work

push_isolate_git

push() {  # LABEL URL: times one `git push`; a refused push ends the benchmark
  if ! python3 "$bench_dir/timed.py" "$times_file" "$1" git -C "$work" push -q "$2" main \
       >"$bench_tmp/push.log" 2>&1; then
    cat "$bench_tmp/push.log" >&2
    die "push to $2 failed"
  fi
  if [[ $1 == *hooked* ]] && ! grep -q 'push accepted' "$bench_tmp/push.log"; then
    cat "$bench_tmp/push.log" >&2
    die "the push to $2 did not run pushgate's hook"
  fi
}

echo "pushgate push overhead benchmark"
bench_machine
echo "binaries: $bench_bin"
schema=$(bench_schema)
echo "schema check: on, against $schema; policy and secrets: on; signatures: $( ((SIGNED)) && echo "every commit, SSH keys, verified in-process" || echo off)"
push_work_tree
echo "tree: $summary; each push changes $CHANGED manifests; $ROUNDS rounds"

# A private sshd on a loopback port; the git settings above travel with each push.
start_loopback_sshd "$bench_tmp/ssh" bench_pids die GIT_CONFIG_GLOBAL GIT_CONFIG_NOSYSTEM
for name in file-plain ssh-plain; do push_new_bare "$name" no; done
for name in file-hooked ssh-hooked rss; do push_new_bare "$name" yes; done
# The third repository times its hook binary, tagged with the phase.
bench_time_pre_receive "$bench_tmp/rss.git" "$bench_tmp/phase" "$hook_file"
url() { if [[ $1 == file-* || $1 == rss ]]; then echo "file://$bench_tmp/$1.git"; else echo "$SSH_URL$bench_tmp/$1.git"; fi; }

# The first push carries the whole tree: timed once, for information. The
# hooked repositories' object caches fill here, as on a real server.
echo initial >"$bench_tmp/phase"
for name in file-plain file-hooked ssh-plain ssh-hooked rss; do push "initial-$name" "$(url "$name")"; done

# Round 0 warms up and is not counted. Each round pushes the same commit to
# every repository; the order of hooked and plain alternates.
for ((round = 0; round <= ROUNDS; round++)); do
  push_change_manifests "$round"
  echo "$([[ $round == 0 ]] && echo warmup || echo round)" >"$bench_tmp/phase"
  if ((round % 2)); then order="hooked plain"; else order="plain hooked"; fi
  for transport in file ssh; do
    for kind in $order; do
      push "$([[ $round == 0 ]] && echo warmup || echo round)-$transport-$kind" "$(url "$transport-$kind")"
    done
  done
  push "rss" "$(url rss)"
done

python3 - "$times_file" "$hook_file" "$CHANGED" <<'EOF'
import statistics, sys
wall, cpu, hook = {}, {}, {}
for line in open(sys.argv[1]):
    label, w, c = line.split()
    wall.setdefault(label, []).append(float(w) * 1000)
    cpu.setdefault(label, []).append(float(c) * 1000)
for line in open(sys.argv[2]):
    phase, elapsed, rss = line.split()
    hook.setdefault(phase, []).append((float(elapsed) / 1000, int(rss) / 1024))
med = statistics.median
print()
print("median wall time of `git push` (ms), same commit to both repositories each round:")
print(f"{'transport':<10}{'plain':>9}{'hooked':>9}{'ratio':>8}  {'target':<9}{'verdict':<8}"
      f"{'plain min..max':>16}{'hooked min..max':>18}")
for transport, target in (("file", 1.5), ("ssh", 1.10)):
    plain, hooked = wall[f"round-{transport}-plain"], wall[f"round-{transport}-hooked"]
    ratio = med(hooked) / med(plain)
    print(f"{transport + '://':<10}{med(plain):>9.1f}{med(hooked):>9.1f}{ratio:>8.2f}  "
          f"{'<= ' + format(target, '.2f'):<9}{'met' if ratio <= target else 'MISSED':<8}"
          f"{min(plain):>8.1f}..{max(plain):<6.1f}{min(hooked):>10.1f}..{max(hooked):<6.1f}")
plain, hooked = cpu["round-file-plain"], cpu["round-file-hooked"]
print(f"CPU time (user+sys) of the whole file:// push (git push, receive-pack, hooks), median ms: "
      f"plain {med(plain):.1f}, hooked {med(hooked):.1f}, ratio {med(hooked) / med(plain):.2f}")
print("  (CPU time barely depends on other load on the machine; wall time does: see the load averages)")
print()
print("initial push of the whole tree (one run each, wall ms):")
for transport in ("file", "ssh"):
    p, h = wall[f"initial-{transport}-plain"][0], wall[f"initial-{transport}-hooked"][0]
    print(f"  {transport + '://':<8} plain {p:8.1f}   hooked {h:8.1f}   ratio {h / p:5.2f}")
print()
print("pre-receive binary alone (via /usr/bin/time in a third repository, file://):")
rounds = hook.get("round", [])
if rounds:
    print(f"  push changing {sys.argv[3]} manifests: median elapsed {med([e for e, _ in rounds]):.1f} ms, "
          f"peak RSS median {med([r for _, r in rounds]):.1f} MiB, max {max(r for _, r in rounds):.1f} MiB "
          f"({len(rounds)} pushes)")
for e, r in hook.get("initial", []):
    print(f"  initial push of the whole tree: elapsed {e:.0f} ms, peak RSS {r:.1f} MiB")
EOF
bench_load
