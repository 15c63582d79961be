#!/usr/bin/env bash
# What an idle pushgated costs: memory, CPU time and wake-ups while nothing
# is pushed, after it has deployed to a few repositories.
#
#   bench/daemon_idle.sh             (PUSHGATE_BIN=DIR to pick the binaries)
#
# Starts pushgated, pushes to REPOS repositories with two environments each
# (main -> production, staging -> staging, local deployer) and waits until
# every deploy has finished. Then, with nothing to do, it reads
# /proc/PID/status (VmRSS, threads, context switches of every thread) and
# /proc/PID/stat (utime + stime) before and after IDLE seconds, and counts
# the daemon's system calls with `strace -c -f` for STRACE seconds (skipped
# when strace is not installed). Last, one more push checks that the idle
# daemon still deploys at once.
#
# Knobs (environment): REPOS=3, IDLE=10 seconds, STRACE=5 seconds, DRIFT
# (each environment's `drift:` mapping; "{interval: 5m}" by default, so the
# daemon holds a drift timer; DRIFT= for none, "{interval: 2s}" to count
# what checks cost).
# Targets: VmRSS <= 20 MB; no busy polling: at most 1 clock tick of CPU time
# and 10 context switches over the idle period.

source "$(dirname "$0")/common.sh"
source "$bench_dir/deploy_common.sh"

REPOS=${REPOS:-3}
IDLE=${IDLE:-10}
STRACE=${STRACE:-5}
bench_drift=${DRIFT-"{interval: 5m}"}
work=$bench_tmp/work

bench_isolate_git
echo "pushgate daemon idle benchmark"
bench_machine
echo "binaries: $bench_bin"
echo "drift: ${bench_drift:-none}"

# "rss_kib threads switches cpu_ticks fds" of the daemon now.
sample() {
  local pid=$daemon_pid rss threads switches ticks
  rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status")
  threads=$(awk '/^Threads:/ { print $2 }' "/proc/$pid/status")
  switches=$(cat /proc/"$pid"/task/*/status | awk '/ctxt_switches:/ { n += $2 } END { print n }')
  # utime and stime: fields 14 and 15, counted after the ")" that ends the name.
  ticks=$(sed 's/.*) //' "/proc/$pid/stat" | awk '{ print $12 + $13 }')
  echo "$rss $threads $switches $ticks $(find "/proc/$pid/fd" -mindepth 1 | wc -l)"
}
show() {  # LABEL SAMPLE
  read -r rss threads switches ticks fds <<<"$2"
  printf '  %-40s VmRSS %6.1f MB  threads %2d  fds %3d  CPU %5d ticks  context switches %6d\n' \
    "$1" "$(echo "$rss" | awk '{ print $1 / 1024 }')" "$threads" "$fds" "$ticks" "$switches"
}

bench_daemon_config "$bench_tmp/daemon" 2
bench_start_daemon "$bench_tmp/daemon/pushgated.log"
sleep 1
started=$(sample)

bench_work_tree "$work" 20
git -C "$work" branch staging
ids=()
for ((r = 0; r < REPOS; r++)); do
  bench_deploy_repo "app$r" main:production staging:staging
  for branch in main staging; do
    out=$(git -C "$work" push "file://$bench_tmp/app$r.git" "$branch" 2>&1) || die "push failed: $out"
    ids+=("$(bench_job_id "$out")")
  done
done
for id in "${ids[@]}"; do bench_wait_done "$id"; done
grep -q 'succeeded' "$spool/done/${ids[-1]}.json" || die "the deploys did not succeed: $(cat "$spool/done/${ids[-1]}.json")"
echo "$REPOS repositories x 2 environments deployed (${#ids[@]} jobs); idling ${IDLE} s"

sleep 1
before=$(sample)
sleep "$IDLE"
after=$(sample)

echo
echo "pushgated (pid $daemon_pid) at rest:"
show "1 s after start, before any job" "$started"
show "after ${#ids[@]} deploys, idle start" "$before"
show "after ${IDLE} s more idle" "$after"
read -r _ _ switches0 ticks0 _ <<<"$before"
read -r rss1 threads1 switches1 ticks1 _ <<<"$after"
idle_ticks=$((ticks1 - ticks0))
idle_switches=$((switches1 - switches0))
hz=$(getconf CLK_TCK)
echo "  during ${IDLE} s idle: $idle_ticks CPU ticks ($((idle_ticks * 1000 / hz)) ms; 1 tick = $((1000 / hz)) ms)," \
  "$idle_switches context switches over $threads1 threads"
grep -E '^(VmHWM|RssAnon|RssFile|RssShmem):' "/proc/$daemon_pid/status" | tr -s ' \t' ' ' |
  paste -sd, | sed 's/^/  memory: /; s/,/, /g'

if command -v strace >/dev/null; then
  timeout -s INT "$STRACE" strace -c -f -p "$daemon_pid" -o "$bench_tmp/strace.txt" 2>/dev/null || true
  # The total line: % time, seconds, usecs/call, calls, [errors], "total".
  calls=$(awk '$NF == "total" { print $4 }' "$bench_tmp/strace.txt")
  echo "  strace -c -f over ${STRACE} s: ${calls:-0} system calls"
  sed -n '/^% time/,$p' "$bench_tmp/strace.txt" | sed 's/^/    /'
else
  echo "  strace is not installed: no system call count (apt-get install strace)"
fi

# The idle daemon must still react at once.
bench_commit_change "$work" 1
t0=$(bench_now)
out=$(git -C "$work" push "file://$bench_tmp/app0.git" main 2>&1) || die "push failed: $out"
bench_wait_done "$(bench_job_id "$out")"
t1=$(bench_now)
echo "  a push after the idle period: pushed and deployed in $(echo "$t0 $t1" | awk '{ printf "%.0f", ($2 - $1) * 1000 }') ms"

echo
rss_mb=$(echo "$rss1" | awk '{ printf "%.1f", $1 / 1024 }')
verdict() { if "$@"; then echo met; else echo MISSED; fi; }
echo "VmRSS ${rss_mb} MB; target <= 20 MB: $(verdict awk "BEGIN { exit !($rss1 <= 20 * 1024) }")"
echo "idle: $idle_ticks CPU ticks, $idle_switches context switches in ${IDLE} s;" \
  "target no busy polling (<= 1 tick, <= 10 switches): $(verdict test "$idle_ticks" -le 1 -a "$idle_switches" -le 10)"
bench_load
