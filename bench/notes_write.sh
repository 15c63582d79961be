#!/usr/bin/env bash
# Notes write cost: appending one deploy record to refs/notes/deploy/<env>
# when the ref already holds SMALL notes and when it holds LARGE notes.
#
#   bench/notes_write.sh          (PUSHGATE_BIN=DIR to pick the binaries)
#
# For each size, a bare repository gets SMALL (LARGE) + APPENDS + ROUNDS commits
# and a notes ref with a record on each of the first SMALL (LARGE) of them,
# written by `git fast-import` in git's own layout (flat while small, 2/38
# fan-out when large). Two copies of it are then given one record on each of
# the next commits: one copy by pushgate's append_note (bench/notes_bench.cpp,
# in one process, as the daemon writes them), the other by `git notes
# append`, the baseline; each round starts with an unmeasured warm-up append.
# pushgate's copy is checked afterwards with `git notes show` and `git fsck`.
#
# Knobs (environment): SMALL=10, LARGE=10000, APPENDS=50 measured appends
# per writer and size, in ROUNDS=5 alternating rounds.
# Target: pushgate's median at LARGE / its median at SMALL <= 1.5.

source "$(dirname "$0")/common.sh"

SMALL=${SMALL:-10}
LARGE=${LARGE:-10000}
APPENDS=${APPENDS:-50}
ROUNDS=${ROUNDS:-5}
notes_bench=$bench_bin/notes_bench
ref=refs/notes/deploy/bench
[[ -x $notes_bench ]] || die "no notes_bench in $bench_bin: build all targets (cmake --build build -j2)"

printf '[user]\n\tname = bench\n\temail = bench@example.invalid\n' >"$bench_tmp/gitconfig"
export GIT_CONFIG_GLOBAL=$bench_tmp/gitconfig GIT_CONFIG_NOSYSTEM=1

# The fast-import stream for COMMITS commits on main and one notes commit
# with a record on each of the first NOTES of them.
seed_stream() {
  awk -v commits="$1" -v notes="$2" 'BEGIN {
    for (i = 1; i <= commits; i++) {
      msg = "commit " i
      printf "commit refs/heads/main\nmark :%d\ncommitter bench <bench@example.invalid> %d +0000\ndata %d\n%s\n",
             i, 1700000000 + i, length(msg), msg
    }
    printf "commit '"$ref"'\ncommitter bench <bench@example.invalid> 1800000000 +0000\ndata 5\nseed\n"
    for (i = 1; i <= notes; i++) {
      line = sprintf("2026-11-26T07:30:00Z env=bench status=succeeded job=%d duration_ms=840 pusher=alice\n", i)
      printf "N inline :%d\ndata %d\n%s", i, length(line), line
    }
  }'
}

# Median and 90th percentile of the microsecond figures in column COLUMN
# (default 1) of stdin, as "MED P90" in ms.
stats() {
  awk -v c="${1:-1}" '{ print $c }' | sort -n | awk '{ v[NR] = $1 } END {
    med = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    p90 = v[int(NR * 0.9 + 0.5) > 0 ? int(NR * 0.9 + 0.5) : 1]
    printf "%.3f %.3f\n", med / 1000, p90 / 1000
  }'
}

# prepare N: a repository with N annotated commits and the targets after
# them, and an identical copy for the baseline.
prepare() {
  local n=$1 repo=$bench_tmp/repo-$1.git
  git init -q --bare "$repo"
  seed_stream $((n + APPENDS + ROUNDS)) "$n" | git -C "$repo" fast-import --quiet
  [[ $(git -C "$repo" notes --ref=deploy/bench list | wc -l) == "$n" ]] || die "seeding $n notes failed"
  git -C "$repo" rev-list --reverse main | tail -n $((APPENDS + ROUNDS)) >"$bench_tmp/targets-$n"
  cp -a "$repo" "$repo.baseline"
}

# The targets of round R (0-based): a warm-up, then APPENDS / ROUNDS measured.
round_targets() {
  local per=$((APPENDS / ROUNDS + 1))
  sed -n "$(($2 * per + 1)),$((($2 + 1) * per))p" "$bench_tmp/targets-$1"
}

# measure N R: one round of appends by each writer; microseconds per append
# go to pushgate-N.us and git-N.us.
measure() {
  local n=$1 target first=1 start end
  round_targets "$n" "$2" >"$bench_tmp/round"
  "$notes_bench" "$bench_tmp/repo-$n.git" "$ref" "$bench_tmp/round" >>"$bench_tmp/pushgate-$n.us" ||
    die "notes_bench failed on the repository with $n notes"
  while read -r target; do
    start=${EPOCHREALTIME/./}
    git -C "$bench_tmp/repo-$n.git.baseline" notes --ref=deploy/bench append -m \
      "2026-11-26T07:30:00Z env=bench status=succeeded job=0 duration_ms=840 pusher=alice" "$target"
    end=${EPOCHREALTIME/./}
    if ((first)); then first=0; else echo $((end - start)) >>"$bench_tmp/git-$n.us"; fi
  done <"$bench_tmp/round"
}

# check N: plain git reads what pushgate wrote, and the repository is sound.
check() {
  local n=$1 repo=$bench_tmp/repo-$1.git last
  last=$(tail -n 1 "$bench_tmp/targets-$n")
  git -C "$repo" notes --ref=deploy/bench show "$last" | grep -q "env=bench status=succeeded" ||
    die "git cannot read the note pushgate wrote on $last"
  [[ $(git -C "$repo" notes --ref=deploy/bench list | wc -l) == $((n + APPENDS + ROUNDS)) ]] ||
    die "pushgate's notes ref does not hold $((n + APPENDS + ROUNDS)) notes"
  git -C "$repo" fsck --strict --no-progress --no-dangling >/dev/null 2>"$bench_tmp/fsck-$n" ||
    die "git fsck found problems after pushgate's appends: $(cat "$bench_tmp/fsck-$n")"
}

# What starting any git process costs here, to read the baseline's figures by.
git_start() {
  local i start end
  for i in $(seq 1 "$APPENDS"); do
    start=${EPOCHREALTIME/./}
    git -C "$bench_tmp/repo-$SMALL.git" rev-parse --verify -q main >/dev/null
    end=${EPOCHREALTIME/./}
    echo $((end - start))
  done | stats
}

echo "notes_write: one record appended to $ref, median (p90) of $APPENDS appends"
bench_machine
prepare "$SMALL"
prepare "$LARGE"
# Rounds alternate between the sizes and the writers, so a change in the
# machine's load weighs on every series alike.
for round in $(seq 0 $((ROUNDS - 1))); do
  measure "$SMALL" "$round"
  measure "$LARGE" "$round"
done
check "$SMALL"
check "$LARGE"
git_start >"$bench_tmp/start.txt"
read -r small_med small_p90 < <(stats <"$bench_tmp/pushgate-$SMALL.us")
read -r large_med large_p90 < <(stats <"$bench_tmp/pushgate-$LARGE.us")
read -r small_git_med small_git_p90 < <(stats <"$bench_tmp/git-$SMALL.us")
read -r large_git_med large_git_p90 < <(stats <"$bench_tmp/git-$LARGE.us")
read -r start_med start_p90 <"$bench_tmp/start.txt"
read -r small_cpu small_cpu_p90 < <(stats 2 <"$bench_tmp/pushgate-$SMALL.us")
read -r large_cpu large_cpu_p90 < <(stats 2 <"$bench_tmp/pushgate-$LARGE.us")

verdict() { awk -v r="$1" -v t="$2" 'BEGIN { print (r <= t) ? "met" : "MISSED" }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
pushgate_ratio=$(ratio "$large_med" "$small_med")
git_ratio=$(ratio "$large_git_med" "$small_git_med")
cpu_ratio=$(ratio "$large_cpu" "$small_cpu")

printf '\n%-34s %18s %18s %8s\n' "writer" "$SMALL notes, ms" "$LARGE notes, ms" "ratio"
printf '%-34s %10s (%6s) %10s (%6s) %8s\n' "pushgate append_note (in process)" \
  "$small_med" "$small_p90" "$large_med" "$large_p90" "$pushgate_ratio"
printf '%-34s %10s (%6s) %10s (%6s) %8s\n' "  its CPU time (user + system)" \
  "$small_cpu" "$small_cpu_p90" "$large_cpu" "$large_cpu_p90" "$cpu_ratio"
printf '%-34s %10s (%6s) %10s (%6s) %8s\n' "git notes append (baseline)" \
  "$small_git_med" "$small_git_p90" "$large_git_med" "$large_git_p90" "$git_ratio"
printf '%-34s %10s (%6s)\n' "git process start (for reference)" "$start_med" "$start_p90"
echo
echo "target: pushgate ${LARGE}/${SMALL} ratio <= 1.5: $pushgate_ratio $(verdict "$pushgate_ratio" 1.5)" \
  "(CPU time: $cpu_ratio $(verdict "$cpu_ratio" 1.5); judge by it when the load average exceeds $(nproc))"
bench_load
