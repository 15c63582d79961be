#!/usr/bin/env bash
# Push-to-applied latency of the kubernetes deployer: from `git push` until
# pushgated has finished the job (applied with server-side apply, ApplySet
# pruning, every object ready, the live commit recorded in the cluster and the
# cluster's /openapi/v2 saved for the gate), for a 10-object environment (a
# Deployment, a Service and 8 ConfigMaps; each push changes one ConfigMap),
# against the test cluster of tests/support/k8s_cluster.sh (kube-apiserver
# 1.20 on 127.0.0.1; run `tests/support/k8s_cluster.sh ensure` first).
#
#   bench/k8s_apply_latency.sh       (PUSHGATE_BIN=DIR to pick the binaries)
#
# Knobs: PUSHES=20 measured pushes, one at a time, after WARMUP=2.
# Baselines: Argo CD's default 3 min poll and Flux's 1 min interval, before
# their own apply even starts.

source "$(dirname "$0")/common.sh"
source "$bench_dir/deploy_common.sh"
source "$bench_dir/k8s_common.sh"

PUSHES=${PUSHES:-20}
WARMUP=${WARMUP:-2}
work=$bench_tmp/work
samples=$bench_tmp/samples.txt

bench_isolate_git
echo "pushgate push-to-applied latency, kubernetes deployer"
bench_k8s_environment 60s

mkdir -p "$work/deploy"
cat >"$work/deploy/web.yaml" <<'EOF'
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx:1.25, ports: [{containerPort: 80, protocol: TCP}]}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, protocol: TCP}]
EOF
for i in 1 2 3 4 5 6 7 8; do
  printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings-%s}\ndata: {round: "0"}\n' "$i" \
    >"$work/deploy/settings-$i.yaml"
done
git -C "$work" init -q -b main
git -C "$work" add -A
git -C "$work" commit -q -m "initial"
git -C "$work" remote add origin "file://$repo"

for ((round = 0; round < WARMUP + PUSHES; round++)); do
  if ((round > 0)); then
    sed -i "s/round: \"[0-9]*\"/round: \"$round\"/" "$work/deploy/settings-$((round % 8 + 1)).yaml"
    git -C "$work" commit -q -am "round $round"
  fi
  t0=$(bench_now)
  out=$(git -C "$work" push origin main 2>&1) || die "push $round failed: $out"
  id=$(bench_job_id "$out")
  bench_wait_done "$id" 120
  t1=$(bench_now)
  grep -q '"status": *"succeeded"\|succeeded' "$spool/done/$id.json" || die "job $id did not succeed: $(cat "$spool/done/$id.json")"
  if ((round >= WARMUP)); then awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", (b - a) * 1000 }' >>"$samples"; fi
done

read -r med p99 lo hi n < <(bench_stats <"$samples")
echo "push to applied, ms (n=$n): median $med  p99 $p99  min $lo  max $hi"
echo "baselines: Argo CD polls every 180000 ms, Flux every 60000 ms by default, before applying"
bench_load
