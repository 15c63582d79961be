#!/usr/bin/env bash
# What a drift check of an unchanged local release costs: `pushgate diff`
# (the daemon's check, on demand) of a 5,000-file release, against plain
# tools doing the same walk.
#
#   bench/drift_check.sh             (PUSHGATE_BIN=DIR to pick the binaries)
#
# Deploys FILES manifests with a real pushgated, then times, RUNS times each:
#   pushgate diff             metadata walk against the release's snapshot
#   pushgate diff, no snapshot  every file hashed against the commit (what the
#                             check costs without its snapshot: the re-read it avoids)
#   find -printf              the bare metadata walk (lower bound; compares nothing)
#   rsync -a -n               metadata compare of the release with a copy
#                             (size+mtime per file, as rsync's quick check)
#   sha1sum of every file     re-reading every file's content
# and, last, the daemon's own check (drift: {interval: 1s}) that finds one
# changed file: the duration_ms of its drifted note.
#
# Knobs (environment): FILES=5000, RUNS=10.
# Target: an unchanged release costs a metadata walk, not a re-read of every file.

source "$(dirname "$0")/common.sh"
source "$bench_dir/deploy_common.sh"

FILES=${FILES:-5000}
RUNS=${RUNS:-10}
work=$bench_tmp/work
command -v rsync >/dev/null || die "rsync is needed for the baseline (apt-get install rsync)"

bench_isolate_git
echo "pushgate drift check benchmark"
bench_machine
echo "binaries: $bench_bin"

bench_daemon_config "$bench_tmp/daemon" 2
bench_start_daemon "$bench_tmp/daemon/pushgated.log"
bench_work_tree "$work" "$FILES"
bench_deploy_repo app main:production
repo=$bench_tmp/app.git
out=$(git -C "$work" push "file://$repo" main 2>&1) || die "push failed: $out"
bench_wait_done "$(bench_job_id "$out")" 120
release=$(readlink -f "$bench_tmp/targets/app/production/current")
[[ -d $release ]] || die "nothing deployed: $(tail -5 "$bench_tmp/daemon/pushgated.log")"
echo "release: $(find "$release" -type f | wc -l) files, $(du -sh "$release" | cut -f1)"
cp -a "$release" "$bench_tmp/copy"

diff_cmd=("$bench_bin/pushgate" diff "$repo" production --daemon-config "$daemon_cfg")
out=$("${diff_cmd[@]}" 2>&1) || die "pushgate diff finds drift in an unchanged release: $out"
echo
echo "drift check of an unchanged ${FILES}-file release:"
bench_time_runs "pushgate diff (metadata walk + snapshot)" "${diff_cmd[@]}"
bench_time_runs "find -printf (metadata walk only)" find "$release" -mindepth 1 -printf '%y %m %s %T@ %P\0'
bench_time_runs "rsync -a -n (metadata compare with a copy)" rsync -a -n --delete -i "$release/" "$bench_tmp/copy/"
bench_time_runs "sha1sum of every file (content re-read)" bash -c "find '$release' -type f -print0 | xargs -0 sha1sum"
snapshot=$(dirname "$release")/.$(basename "$release").stat
mv "$snapshot" "$bench_tmp/stat.saved"
bench_time_runs "pushgate diff without a snapshot (hashes all)" "${diff_cmd[@]}"
mv "$bench_tmp/stat.saved" "$snapshot"

# The daemon's own check: a drifted record carries its duration.
kill "$daemon_pid" && wait "$daemon_pid" 2>/dev/null || true
printf '    drift: {interval: 1s}\n' >>"$repo/pushgate.yaml"
bench_start_daemon "$bench_tmp/daemon/pushgated2.log"
file=$(find "$release" -type f -name '*.yaml' -print -quit)
echo "# changed by hand" >>"$file"
for _ in $(seq 100); do
  note=$(git --git-dir="$repo" notes --ref=deploy/production show main 2>/dev/null | grep ' status=drifted ' || true)
  [[ -n $note ]] && break
  sleep 0.1
done
[[ -n $note ]] || die "pushgated recorded no drift: $(tail -5 "$bench_tmp/daemon/pushgated2.log")"
echo "  pushgated's check that found 1 changed file: $(sed -nE 's/.* duration_ms=([0-9]+).*/\1/p' <<<"$note") ms (duration_ms of the drifted note)"
bench_load
