#!/usr/bin/env bash
# The ssh deployer against a fleet of real OpenSSH servers on loopback
# (tests/support/loopback_fleet.sh), through real pushes and a real pushgated:
#
#  1. fleet vs one host: the same small release (FILES manifests) deployed to
#     10 hosts with `parallel: 10` and to 1 host, ROUNDS times each (a
#     one-manifest change per round); deploy wall time from the note's
#     duration_ms. Target: median ratio 10 hosts / 1 host <= 2.
#  2. first deploy of a BIG_FILES-file, BIG_MB MB tree to one host vs
#     `rsync -a` of the same tree over ssh to another host of the same fleet,
#     in the same run. Target: pushgate / rsync <= 1.5. Beside it the CPU
#     time of each: pushgated vs rsync and its ssh client, and what the
#     host's sshd sessions used (sshd, the shell, tar or rsync).
#  3. a one-file change to that release: bytes on the wire to the host,
#     counted by a TCP proxy in front of its sshd (bench/byte_proxy.py: the
#     encrypted stream, handshakes and every channel included). The fixed
#     overhead is measured in the same run as a deploy that changes one byte of
#     one file. Target: bytes(change of a SIZE file) <= 2 x SIZE + overhead.
#
#   bench/fleet_deploy.sh     (PUSHGATE_BIN=DIR to pick the binaries)
#
# The hosts log in to an account whose shell reads no rc file, as a deploy
# account on a server would: every remote command starts that shell, and an
# rc file that runs something (pyenv init: 0.4 s) would be measured with it.
# As root the benchmark makes one (pushgate-bench-PID, shell /bin/sh, home in
# its temporary folder) and removes it afterwards; otherwise it uses the
# current account and warns when its shell reads rc files.
#
# Knobs (environment): ROUNDS=5, FILES=20, BIG_FILES=5000, BIG_MB=50.
# Run it alone on the machine: 2 cores shared make every figure slower.

source "$(dirname "$0")/common.sh"
source "$bench_dir/deploy_common.sh"
# shellcheck source-path=SCRIPTDIR/../tests/support
source "$bench_repo/tests/support/loopback_fleet.sh"

ROUNDS=${ROUNDS:-5}
FILES=${FILES:-20}
BIG_FILES=${BIG_FILES:-5000}
BIG_MB=${BIG_MB:-50}
command -v rsync >/dev/null || die "rsync is needed for the baseline (Debian: apt-get install rsync)"
cannot_run() { die "cannot run sshd here: $*"; }

echo "pushgate ssh fleet deploy benchmark"
bench_machine
echo "binaries: $bench_bin"
bench_isolate_git

if [[ $(id -u) == 0 ]]; then
  FLEET_ACCOUNT=pushgate-bench-$$
  chmod 711 "$bench_tmp"
  trap 'bench_cleanup; fleet_remove_account "$FLEET_ACCOUNT"' EXIT
  fleet_make_account "$FLEET_ACCOUNT" "$bench_tmp/home"
  echo "hosts log in as: $FLEET_ACCOUNT (made for this run: shell /bin/sh, no rc files, removed afterwards)"
else
  echo "hosts log in as: $(id -un) (the current account)"
  rc_files=$(fleet_rc_files "$(id -un)")
  if [[ -n $rc_files ]]; then
    echo "warning: its shell reads ${rc_files//$'\n'/ } for every remote command: the figures include that;" \
      "run as root for an account without rc files"
  fi
fi

# Hosts 0-9: the fleet; 10: the single host; 11: pushgate's big release
# (behind the counting proxy); 12: rsync's copy of it.
start_loopback_fleet "$bench_tmp/fleet" 13 bench_pids cannot_run
python3 "$bench_dir/byte_proxy.py" "$bench_tmp/proxy.port" "${FLEET_PORTS[11]}" "$bench_tmp/proxy.counts" &
bench_pids+=("$!")
for _ in $(seq 200); do [[ -s $bench_tmp/proxy.port ]] && break; sleep 0.05; done
proxy_port=$(<"$bench_tmp/proxy.port")
# The proxy's port presents host 11's key.
echo "[127.0.0.1]:$proxy_port $(cut -d' ' -f1,2 "$bench_tmp/fleet/host-11/host_key.pub")" >>"$FLEET_KNOWN_HOSTS"

bench_daemon_config "$bench_tmp/daemon" 1   # one worker: deploys never overlap
bench_start_daemon "$bench_tmp/daemon.log"

# ssh_env NAME BRANCH PARALLEL HOST-ENTRY...: an environment deploying BRANCH's deploy/ over ssh.
ssh_env() {
  local name=$1 branch=$2 parallel=$3 entry
  shift 3
  printf '  %s:\n    branch: %s\n    path: deploy\n    deployer:\n      type: ssh\n' "$name" "$branch"
  printf '      user: %s\n      identity: %s\n      known_hosts: %s\n' "$FLEET_USER" "$FLEET_IDENTITY" "$FLEET_KNOWN_HOSTS"
  printf '      parallel: %s\n      keep_releases: 3\n      connect_timeout: 10s\n      hosts:\n' "$parallel"
  for entry in "$@"; do printf '        - %s\n' "$entry"; done
}
host_entry() { echo "{host: 127.0.0.1, port: ${FLEET_PORTS[$1]}, dir: ${FLEET_DIRS[$1]}}"; }

repo=$bench_tmp/app.git
git init -q --bare -b main "$repo"
"$bench_bin/pushgate" install "$repo" --daemon-config "$daemon_cfg" >/dev/null
ten=()
for i in $(seq 0 9); do ten+=("$(host_entry "$i")"); done
{
  echo "environments:"
  ssh_env ten fleet 10 "${ten[@]}"
  ssh_env one fleet 1 "$(host_entry 10)"
  ssh_env big big 1 "{host: 127.0.0.1, port: $proxy_port, dir: ${FLEET_DIRS[11]}}"
} >"$repo/pushgate.yaml"

# duration_ms ENV COMMIT: the deploy's wall time from its note (the newest attempt).
duration_ms() {
  local note
  note=$(git --git-dir="$repo" notes --ref="deploy/$1" show "$2" 2>/dev/null | grep -E ' status=succeeded ' | tail -1)
  [[ -n $note ]] || die "no succeeded deploy of ${2:0:12} to $1: $(git --git-dir="$repo" notes --ref="deploy/$1" show "$2" 2>&1 | tail -2)"
  sed -nE 's/.* duration_ms=([0-9]+).*/\1/p' <<<"$note"
}

# push_and_wait DIR BRANCH: pushes and waits until every job it queued is done.
push_and_wait() {
  local out id
  out=$(git -C "$1" push origin "HEAD:$2" 2>&1) || die "push to $2 failed: $out"
  for id in $(sed -n 's/.*pushgate: queued deploy of .* (job \([0-9]*\)).*/\1/p' <<<"$out"); do bench_wait_done "$id" 600; done
}

# ---------------------------------------------------------------- 1. fleet vs one host
small=$bench_tmp/small
bench_work_tree "$small" "$FILES"
git -C "$small" remote add origin "file://$repo"
: >"$bench_tmp/fleet.txt"
for ((round = 0; round <= ROUNDS; round++)); do
  if ((round > 0)); then bench_commit_change "$small" "$round"; fi
  push_and_wait "$small" fleet
  commit=$(git -C "$small" rev-parse HEAD)
  # Round 0 is the first deploy (every file sent): reported apart.
  echo "$round $(duration_ms ten "$commit") $(duration_ms one "$commit")" >>"$bench_tmp/fleet.txt"
done
for i in 0 9; do
  diff -r "$small/deploy" "${FLEET_DIRS[i]}/current" >/dev/null || die "host $i does not hold the release"
done

# ---------------------------------------------------------------- 2. first deploy vs rsync
big=$bench_tmp/big
mkdir -p "$big/deploy"
python3 - "$big/deploy" "$BIG_FILES" "$BIG_MB" <<'EOF'
import os, random, sys
out, files, mb = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(9)
size = mb * 1000 * 1000 // files
for i in range(files):
    d = os.path.join(out, f"d{i // 100:03d}")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, f"f{i:05d}.bin"), "wb") as f:
        f.write(rng.randbytes(size))
EOF
git -C "$big" init -q -b main
git -C "$big" add -A
git -C "$big" commit -q -m "big tree"
git -C "$big" remote add origin "file://$repo"
file_size=$(stat -c %s "$big/deploy/d000/f00000.bin")
echo "big tree: $BIG_FILES files of $file_size bytes ($(du -sm "$big/deploy" | cut -f1) MB on disk)"

# cpu_ms PID [own|children]: CPU time (user + system) of PID itself (threads
# included), or of its children that have ended; sshd reaps each session.
cpu_ms() {
  # After the ")" that ends the process name: utime stime cutime cstime are fields 12-15.
  sed 's/.*) //' "/proc/$1/stat" | awk -v hz="$(getconf CLK_TCK)" -v which="${2:-own}" \
    '{ print int((which == "own" ? $12 + $13 : $14 + $15) * 1000 / hz) }'
}
# host_cpu_ms I: what host I's sshd sessions (sshd, the account's shell, tar or rsync) used so far.
host_cpu_ms() { cpu_ms "${FLEET_PIDS[$1]}" children; }

before=$(cut -d' ' -f1 "$bench_tmp/proxy.counts")
daemon_cpu0=$(cpu_ms "$daemon_pid") host_cpu0=$(host_cpu_ms 11)
push_and_wait "$big" big
first_ms=$(duration_ms big "$(git -C "$big" rev-parse HEAD)")
sleep 1  # the job's connection closes, and sshd reaps its session
daemon_cpu=$(($(cpu_ms "$daemon_pid") - daemon_cpu0)) host_cpu=$(($(host_cpu_ms 11) - host_cpu0))
first_bytes=$(($(cut -d' ' -f1 "$bench_tmp/proxy.counts") - before))
diff -r "$big/deploy" "${FLEET_DIRS[11]}/current" >/dev/null || die "host 11 does not hold the big release"

loopback_ssh_command rsync_ssh "${FLEET_PORTS[12]}" "$FLEET_IDENTITY" "$FLEET_KNOWN_HOSTS"
rsync_cpu0=$(cpu_ms $$ children) rsync_host_cpu0=$(host_cpu_ms 12)
t0=$(bench_now)
rsync -a -e "${rsync_ssh[*]}" "$big/deploy/" "$FLEET_USER@127.0.0.1:${FLEET_DIRS[12]}/copy/" || die "rsync failed"
t1=$(bench_now)
sleep 1
rsync_cpu=$(($(cpu_ms $$ children) - rsync_cpu0)) rsync_host_cpu=$(($(host_cpu_ms 12) - rsync_host_cpu0))
rsync_ms=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%d", (b - a) * 1000 }')

# ---------------------------------------------------------------- 3. bytes of a one-file change
# change_one FILE BYTES: rewrites FILE (relative to the work tree) with BYTES
# new random bytes, deploys, prints the bytes sent.
change_one() {
  local before_up
  head -c "$2" /dev/urandom >"$big/$1"
  git -C "$big" commit -q -am "change $1"
  before_up=$(cut -d' ' -f1 "$bench_tmp/proxy.counts")
  push_and_wait "$big" big
  duration_ms big "$(git -C "$big" rev-parse HEAD)" >/dev/null
  echo $(($(cut -d' ' -f1 "$bench_tmp/proxy.counts") - before_up))
}
# sent_by_pushgate: what the deployer itself says it sent for the newest deploy of big (file content).
sent_by_pushgate() {
  git --git-dir="$repo" notes --ref=deploy-log/big show "$(git -C "$big" rev-parse HEAD)" 2>/dev/null |
    sed -nE 's/.*release [^ ]+: ([0-9]+ files sent \([0-9]+ bytes\)).*/\1/p' | tail -1
}
mapfile -t big_files < <(git -C "$big" ls-files deploy)
overhead=$(change_one "${big_files[1]}" 1)   # a one-byte file for a whole one: the fixed part
changed=$(change_one "${big_files[$((BIG_FILES / 2))]}" "$file_size")
pushgate_says=$(sent_by_pushgate)
diff -r "$big/deploy" "${FLEET_DIRS[11]}/current" >/dev/null || die "host 11 does not hold the changed release"

# ---------------------------------------------------------------- figures
python3 - "$bench_tmp/fleet.txt" "$first_ms" "$rsync_ms" "$first_bytes" "$overhead" "$changed" "$file_size" \
  "$BIG_FILES" "$pushgate_says" "$daemon_cpu" "$host_cpu" "$rsync_cpu" "$rsync_host_cpu" <<'EOF'
import statistics, sys
rows = [list(map(int, l.split())) for l in open(sys.argv[1])]
first_ms, rsync_ms, first_bytes, overhead, changed, size, files = map(int, sys.argv[2:9])
pushgate_says = sys.argv[9] or "nothing (no 'files sent' line in the deploy log)"
daemon_cpu, host_cpu, rsync_cpu, rsync_host_cpu = map(int, sys.argv[10:14])
first, rest = rows[0], rows[1:]
ten = statistics.median(r[1] for r in rest)
one = statistics.median(r[2] for r in rest)
verdict = lambda ok: "met" if ok else "MISSED"
print()
print("1. the same release to 10 hosts (parallel: 10) vs 1 host, deploy wall time (duration_ms):")
print(f"   first deploy: 10 hosts {first[1]} ms, 1 host {first[2]} ms, ratio {first[1] / first[2]:.2f}")
print(f"   one-manifest change, median of {len(rest)}: 10 hosts {ten:.0f} ms, 1 host {one:.0f} ms")
print(f"   ratio {ten / one:.2f}; target <= 2: {verdict(ten / one <= 2)}")
print()
print(f"2. first deploy of {files} files ({first_bytes / 1e6:.1f} MB sent) to one host vs rsync -a over ssh:")
print(f"   pushgate {first_ms} ms (deploy wall time), rsync {rsync_ms} ms (baseline)")
print(f"   ratio {first_ms / rsync_ms:.2f}; target <= 1.5: {verdict(first_ms / rsync_ms <= 1.5)}")
print(f"   CPU: pushgated {daemon_cpu} ms + host {host_cpu} ms (sshd, sh, tar) = {daemon_cpu + host_cpu} ms;")
print(f"        rsync and its ssh {rsync_cpu} ms + host {rsync_host_cpu} ms (sshd, rsync) = {rsync_cpu + rsync_host_cpu} ms")
print()
print(f"3. bytes to the host for a one-file change of the {files}-file release (TCP proxy, client -> sshd):")
print(f"   fixed overhead (a deploy changing a 1-byte file): {overhead} bytes")
print(f"   a {size}-byte file changed: {changed} bytes; limit 2 x {size} + {overhead} = {2 * size + overhead}")
print(f"   beyond the overhead: {changed - overhead} bytes = {(changed - overhead) / size:.2f} x the file; "
      f"target <= 2: {verdict(changed <= 2 * size + overhead)}")
print(f"   cross-check, the deployer's own count for that deploy: {pushgate_says}")
EOF
bench_load
