#!/usr/bin/env bash
# Secret scanning rate on generated mixed text (bench/gen_mixed_text.py,
# 100 MB by default), one thread, with peak RSS; judged against GNU grep -E
# looking for the same anchors over the same files, and a bare read (cat).
# Rates are given for wall time and for CPU time: on a busy machine the wall
# time mostly measures the wait for a core.
#
#   bench/secret_scan.sh [MB]
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

mb=${1:-100}
scanner=$bench_bin/secret_scan
[[ -x $scanner ]] || die "$scanner is missing: build the secret_scan target"
[[ -x /usr/bin/time ]] || die "/usr/bin/time is needed (Debian package time)"
bench_machine

data=$bench_tmp/text
python3 "$bench_dir/gen_mixed_text.py" "$data" --mb "$mb" >"$bench_tmp/gen.out"
read -r files bytes planted < <(sed 's/[a-z]*=//g' "$bench_tmp/gen.out")
echo "data: $files files, $bytes bytes, $planted secrets planted"
cat "$data"/* >/dev/null  # into the page cache, for every contender alike

# MB/s for BYTES in SECONDS.
rate() { awk -v b="$1" -v s="$2" 'BEGIN { printf "%.0f", b / 1048576 / s }'; }
field() { sed -n "s/.*\<$1=\([0-9.]*\).*/\1/p" "$2"; }

# timed NAME COMMAND...: runs it, output discarded; leaves wall= cpu= rss_kb= in $bench_tmp/NAME.time.
timed() {
  local name=$1
  shift
  /usr/bin/time -f 'wall=%e cpu=%U+%S rss_kb=%M' -o "$bench_tmp/$name.time" "$@" >"$bench_tmp/$name.out"
  sed -i 's/cpu=\([0-9.]*\)+\([0-9.]*\)/cpu=\1 sys=\2/' "$bench_tmp/$name.time"
}
cpu_of() { awk -v u="$(field cpu "$bench_tmp/$1.time")" -v s="$(field sys "$bench_tmp/$1.time")" 'BEGIN { print u + s }'; }

timed scan "$scanner" "$data"
scan_s=$(field seconds "$bench_tmp/scan.out")
scan_cpu=$(field cpu_seconds "$bench_tmp/scan.out")
found=$(field findings "$bench_tmp/scan.out")
rss_kb=$(field rss_kb "$bench_tmp/scan.time")

# The anchors of validators/secrets/secret_patterns.cpp, as one extended
# regular expression (the generic words without regard to case, as there).
anchors='AKIA|ASIA|ABIA|ACCA|ghp_|gho_|ghu_|ghs_|ghr_|github_pat_|glpat-|xox[baprs]-|hooks\.slack\.com/services/|sk_live_|rk_live_|AIza|BEGIN|eyJ|[Pp][Aa][Ss][Ss][Ww][Oo]?[Rr]?[Dd]|[Ss][Ee][Cc][Rr][Ee][Tt]|[Tt][Oo][Kk][Ee][Nn]|[Aa][Pp][Ii][_-]?[Kk][Ee][Yy]'
timed grep grep -E -c -h -- "$anchors" "$data"/*
timed cat cat "$data"/*

echo "pushgate secret scan: $(rate "$bytes" "$scan_s") MB/s wall, $(rate "$bytes" "$scan_cpu") MB/s CPU" \
  "(${scan_s} s, ${scan_cpu} s CPU; one thread, the scan only), peak RSS $((rss_kb / 1024)) MB" \
  "(with the $mb MB of text held in memory), $found findings"
for b in grep cat; do
  what=$([[ $b == grep ]] && echo "grep -E, the same anchors" || echo "cat, a bare read")
  echo "baseline $what: $(rate "$bytes" "$(field wall "$bench_tmp/$b.time")") MB/s wall," \
    "$(rate "$bytes" "$(cpu_of "$b")") MB/s CPU (reading the files included)"
done
echo "ratio, scan CPU time / grep CPU time: $(awk -v a="$scan_cpu" -v b="$(cpu_of grep)" 'BEGIN { printf "%.1f", a / (b > 0 ? b : 0.001) }')"
bench_load
