# Shared by the bench/*.sh scripts: sourced, never run.
#
# Gives: $bench_dir, $bench_bin (folder holding the pushgate binaries),
# $bench_tmp (removed on exit, with every process in $bench_pids), die,
# bench_now (seconds, microsecond resolution), bench_machine (where the
# figures come from), bench_load (how busy the machine is) and
# bench_time_pre_receive (a repository whose pre-receive is timed).

set -euo pipefail
export LC_ALL=C  # "." as decimal separator in $EPOCHREALTIME and printf

bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bench_repo=$(dirname "$bench_dir")
bench_pids=()

die() {
  echo "bench: error: $*" >&2
  exit 1
}

# PUSHGATE_BIN, else the repository's build/bin, else the pushgate on PATH.
bench_find_bin() {
  local candidate
  for candidate in "${PUSHGATE_BIN:-}" "$bench_repo/build/bin" \
                   "$(dirname "$(command -v pushgate 2>/dev/null || echo /nonexistent/x)")"; do
    if [[ -n "$candidate" && -x "$candidate/pushgate" && -x "$candidate/pushgate-pre-receive" ]]; then
      cd "$candidate" && pwd
      return
    fi
  done
  die "no pushgate binaries found: build them (cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo &&
  cmake --build build -j2) or set PUSHGATE_BIN to the folder holding pushgate and pushgate-pre-receive"
}

bench_cleanup() {
  local pid
  for pid in "${bench_pids[@]}"; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [[ -n "${bench_tmp:-}" && -d "$bench_tmp" ]]; then rm -rf "$bench_tmp"; fi
}

bench_now() { echo "$EPOCHREALTIME"; }

bench_machine() {
  echo "machine: $(nproc) cores, $(uname -sr), $(git --version), $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  bench_load
}

# Other work on the machine skews the figures: print it at the start and end.
bench_load() { echo "load average (1, 5, 15 min): $(cut -d' ' -f1-3 /proc/loadavg)"; }

# Replaces REPO's installed pre-receive with one that runs pushgate's and
# appends "TAG elapsed_us peak_rss_kib" to OUT, TAG being what the file
# TAG_FILE holds at the time (elapsed from date: /usr/bin/time's %e counts
# 10 ms steps, more than the hook takes).
bench_time_pre_receive() {  # REPO TAG_FILE OUT
  local hook=$1/hooks/pre-receive
  rm -f "$hook"  # never write through a link that may point at the program
  cat >"$hook" <<EOF
#!/bin/sh
start=\$(date +%s%N)
/usr/bin/time -o '$bench_tmp/hook.rss' -f %M '$bench_bin/pushgate-pre-receive' "\$@"
status=\$?
end=\$(date +%s%N)
echo "\$(cat '$2') \$(((end - start) / 1000)) \$(tail -1 '$bench_tmp/hook.rss')" >>'$3'
exit \$status
EOF
  chmod +x "$hook"
}

# Hooks set GIT_DIR and friends; a benchmark started from one must not inherit them.
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_OBJECT_DIRECTORY GIT_ALTERNATE_OBJECT_DIRECTORIES \
      GIT_QUARANTINE_PATH GIT_NAMESPACE
bench_bin=$(bench_find_bin)
bench_tmp=$(mktemp -d "${TMPDIR:-/tmp}/pushgate-bench.XXXXXX")
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

# The Kubernetes OpenAPI document the schema check runs with: SCHEMA, else
# ../shared/k8s-openapi/swagger-v1.36.json beside the repository, else
# Kubernetes 1.20.2's from Debian (contrib/fetch-k8s-openapi.sh), kept in
# ~/.cache/pushgate so it is fetched once.
bench_schema() {
  local shared=$bench_repo/../shared/k8s-openapi/swagger-v1.36.json
  if [[ -n "${SCHEMA:-}" ]]; then echo "$SCHEMA"
  elif [[ -r $shared ]]; then cd "$(dirname "$shared")" && echo "$PWD/$(basename "$shared")"
  else "$bench_repo/contrib/fetch-k8s-openapi.sh" "${XDG_CACHE_HOME:-$HOME/.cache}/pushgate"
  fi
}
