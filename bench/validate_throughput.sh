#!/usr/bin/env bash
# Validation throughput of `pushgate validate` on a 50,000-resource tree, single
# thread and all cores, with the k8s.schema check on, side by side with a bare
# libfyaml event parse of the same files (the parsing limit) and with yamllint.
#
#   bench/validate_throughput.sh     (PUSHGATE_BIN=DIR to pick the binaries;
#                                     SCHEMA=FILE for the OpenAPI document,
#                                     see bench_schema in common.sh)
#
# Knobs (environment): RESOURCES=50000, REPEAT=3 runs per measurement (the
# median is shown), YAMLLINT_FILES=1500 files that yamllint checks (its rate is
# extrapolated to the whole tree; 0 = all files).
# Targets: pushgate >= 0.7 x the bare parse rate, >= 10 x yamllint's rate.

source "$(dirname "$0")/common.sh"

RESOURCES=${RESOURCES:-50000}
REPEAT=${REPEAT:-3}
YAMLLINT_FILES=${YAMLLINT_FILES:-1500}
cores=$(nproc)
tree=$bench_tmp/tree
results=$bench_tmp/results.txt  # label files resources bytes wall_s rss_kib cpu_s

# Runs a command once under /usr/bin/time and records the run. Exit status 1
# is allowed for pushgate (findings) and yamllint (errors): the figures still
# count, and the script says, once per label, what was found.
measure_once() {  # LABEL FILES RESOURCES BYTES COMMAND...
  local label=$1 files=$2 resources=$3 bytes=$4 t0 t1 status=0 rss user sys
  shift 4
  t0=$(bench_now)
  /usr/bin/time -f "%M %U %S" -o "$bench_tmp/usage" "$@" >"$bench_tmp/out" 2>&1 || status=$?
  t1=$(bench_now)
  if ((status > 1)); then
    tail -20 "$bench_tmp/out" >&2
    die "$label: '$*' exited with $status"
  fi
  read -r rss user sys < <(tail -1 "$bench_tmp/usage")
  echo "$label $files $resources $bytes $(python3 -c "print($t1 - $t0, $rss, $user + $sys)")" >>"$results"
  if ((status == 1)) && [[ ! -e $bench_tmp/noted-$label ]]; then
    touch "$bench_tmp/noted-$label"
    echo "note: $label reported findings on the generated tree (first lines):"
    head -5 "$bench_tmp/out" | sed 's/^/  /'
  fi
}

# Runs a command REPEAT times.
measure() {  # LABEL FILES RESOURCES BYTES COMMAND...
  echo "running $1 ($REPEAT runs) ..." >&2
  for ((run = 0; run < REPEAT; run++)); do measure_once "$@"; done
}

echo "pushgate validation throughput benchmark"
bench_machine
echo "binaries: $bench_bin"
python3 "$bench_dir/gen_manifests.py" "$tree" --resources "$RESOURCES" >"$bench_tmp/summary"
read -r files resources bytes < <(sed 's/[a-z]*=//g' "$bench_tmp/summary")
echo "tree: $files files, $resources resources, $bytes bytes (bench/gen_manifests.py --resources $RESOURCES)"

# shellcheck disable=SC2046 # pkg-config's flags are meant to split
g++ -O2 -std=c++20 -o "$bench_tmp/bare_parse" "$bench_dir/bare_parse.cpp" $(pkg-config --cflags --libs libfyaml) -pthread
# Every measurement reads from the page cache, none from the disk.
find "$tree" -type f -exec cat {} + >/dev/null

# The schema check on, as a server that cares would run it; the first run
# compiles the schemas into the cache beside the config, as install --check does.
schema=$(bench_schema)
config=$bench_tmp/pushgate.yaml
printf 'validate:\n  schemas: ["%s"]\n' "$schema" >"$config"
echo "schema check: on, against $schema"
"$bench_bin/pushgate" validate --config "$config" -j"$cores" "$tree" >/dev/null 2>&1 ||
  die "pushgate validate --config $config failed on the generated tree"

# pushgate and the bare parse take turns, run by run, so that a change in the
# machine's speed during the benchmark (this VM's drifts by several percent
# over minutes) falls on both alike; their ratio is the median of the runs'.
echo "running pushgate validate and the bare parse, -j1 and -j$cores, in turns ($REPEAT rounds) ..." >&2
for ((round = 0; round < REPEAT; round++)); do
  measure_once "pushgate-validate-j1" "$files" "$resources" "$bytes" "$bench_bin/pushgate" validate --config "$config" -j1 "$tree"
  measure_once "bare-parse-j1" "$files" "$resources" "$bytes" "$bench_tmp/bare_parse" "$tree"
  measure_once "pushgate-validate-j$cores" "$files" "$resources" "$bytes" "$bench_bin/pushgate" validate --config "$config" -j"$cores" "$tree"
  measure_once "bare-parse-j$cores" "$files" "$resources" "$bytes" "$bench_tmp/bare_parse" "$tree" -j "$cores"
done

# yamllint is slow: by default it checks the first YAMLLINT_FILES files (in
# path order, hard links to the same bytes) and its rate is extrapolated.
subset=$tree
lint_files=$files lint_resources=$resources lint_bytes=$bytes
if ((YAMLLINT_FILES > 0 && YAMLLINT_FILES < files)); then
  subset=$bench_tmp/subset
  mkdir "$subset"
  (cd "$tree" && find . -type f -name '*.yaml' | sort | awk -v n="$YAMLLINT_FILES" 'NR <= n' \
     | xargs cp -l --parents -t "$subset")
  lint_files=$(find "$subset" -type f | wc -l)
  lint_resources=$(find "$subset" -type f -exec cat {} + | grep -c '^---$')
  lint_bytes=$(find "$subset" -type f -exec cat {} + | wc -c)
fi
measure "yamllint-relaxed" "$lint_files" "$lint_resources" "$lint_bytes" yamllint -d relaxed -f parsable "$subset"

python3 - "$results" "$cores" "$REPEAT" <<'EOF'
import statistics, sys
cores, repeat = sys.argv[2], sys.argv[3]
runs = {}
for line in open(sys.argv[1]):
    label, files, resources, size, wall, rss, cpu = line.split()
    runs.setdefault(label, []).append((int(files), int(resources), int(size), float(wall), int(rss), float(cpu)))
def figures(label):
    rs = runs[label]
    wall = statistics.median(r[3] for r in rs)
    cpu = statistics.median(r[5] for r in rs)
    return {"files": rs[0][0], "resources": rs[0][1], "bytes": rs[0][2], "wall": wall, "cpu": cpu,
            "rate": rs[0][1] / wall, "mbps": rs[0][2] / wall / 1e6, "cpu_rate": rs[0][1] / cpu,
            "rss": max(r[4] for r in rs) / 1024}
rows = [("pushgate validate -j1", "pushgate-validate-j1"),
        (f"pushgate validate -j{cores}", f"pushgate-validate-j{cores}"),
        ("libfyaml event parse, 1 thread", "bare-parse-j1"),
        (f"libfyaml event parse, {cores} thr.", f"bare-parse-j{cores}"),
        ("yamllint -d relaxed", "yamllint-relaxed")]
f = {label: figures(label) for _, label in rows}
print()
print(f"median of {repeat} runs; rates are resources/s and MB/s (10^6 bytes) of YAML read")
print(f"{'':<32}{'files':>8}{'wall s':>9}{'res/s':>10}{'MB/s':>8}{'peak RSS':>11}{'CPU s':>9}{'res/CPU s':>11}")
for name, label in rows:
    x = f[label]
    print(f"{name:<32}{x['files']:>8}{x['wall']:>9.2f}{x['rate']:>10.0f}{x['mbps']:>8.2f}{x['rss']:>7.1f} MiB"
          f"{x['cpu']:>9.2f}{x['cpu_rate']:>11.0f}")
lint = f["yamllint-relaxed"]
if lint["files"] < f["pushgate-validate-j1"]["files"]:
    print(f"  yamllint ran on the first {lint['files']} files ({lint['resources']} resources); "
          f"extrapolated to the whole tree: {f['pushgate-validate-j1']['resources'] / lint['rate']:.0f} s")
print()
print(f"{'ratio of rates (resources/s)':<44}{'value':>7}  {'target':<8}verdict")
print("  (pushgate / bare parse: the median of each round's ratio, the two having run in turns)")
def ratio(name, a, b, target, rate="rate"):
    # Runs taken in turns pair up: the median of their ratios. yamllint ran
    # apart: the ratio of the medians.
    pa, pb = runs[a], runs[b]
    if len(pa) == len(pb) and a.startswith("pushgate") and b.startswith("bare"):
        column = 3 if rate == "rate" else 5
        value = statistics.median(y[column] / x[column] for x, y in zip(pa, pb))
    else:
        value = f[a][rate] / f[b][rate]
    verdict = "(info)" if target is None else ("met" if value >= target else "MISSED")
    print(f"{name:<44}{value:>7.2f}  {'' if target is None else '>= ' + str(target):<8}{verdict}")
ratio("pushgate -j1 / bare parse 1 thread", "pushgate-validate-j1", "bare-parse-j1", 0.7)
ratio(f"pushgate -j{cores} / bare parse {cores} threads", f"pushgate-validate-j{cores}", f"bare-parse-j{cores}", 0.7)
ratio("pushgate -j1 / yamllint (1 process)", "pushgate-validate-j1", "yamllint-relaxed", 10)
ratio(f"pushgate -j{cores} / yamllint (1 process)", f"pushgate-validate-j{cores}", "yamllint-relaxed", None)
print("the same per CPU second (user+sys), which other load on the machine barely changes:")
ratio("pushgate / bare parse, per CPU second", "pushgate-validate-j1", "bare-parse-j1", None, "cpu_rate")
ratio("pushgate / yamllint, per CPU second", "pushgate-validate-j1", "yamllint-relaxed", None, "cpu_rate")
EOF
bench_load
