#!/usr/bin/env bash
# What a drift check of a Kubernetes environment costs: `pushgate diff` of a
# 100-object environment (kubectl diff --server-side of the live commit, plus
# a server dry run of the ApplySet prune) against the test cluster of
# tests/support/k8s_cluster.sh (kube-apiserver 1.20 on 127.0.0.1; run
# `tests/support/k8s_cluster.sh ensure` first), and the baseline: a bare
# `kubectl diff --server-side -f` of the same manifests, in the same run.
#
#   bench/k8s_drift_check.sh        (PUSHGATE_BIN=DIR to pick the binaries)
#
# Knobs: OBJECTS=100 (a tenth Deployments, a tenth Services, the rest
# ConfigMaps), RUNS=10.
# Target: about what kubectl's own diff costs; pushgate adds reading its
# manifests (kubectl label --local), the inventory and the prune dry run.

source "$(dirname "$0")/common.sh"
source "$bench_dir/deploy_common.sh"
source "$bench_dir/k8s_common.sh"

OBJECTS=${OBJECTS:-100}
RUNS=${RUNS:-10}
work=$bench_tmp/work

bench_isolate_git
echo "pushgate drift check benchmark, kubernetes deployer"
bench_k8s_environment 120s

mkdir -p "$work/deploy"
tenth=$((OBJECTS / 10))
for ((i = 1; i <= OBJECTS; i++)); do
  if ((i <= tenth)); then
    printf '%s\n' "apiVersion: apps/v1" "kind: Deployment" "metadata: {name: web-$i}" "spec:" "  replicas: 1" \
      "  selector: {matchLabels: {app: web-$i}}" "  template:" "    metadata: {labels: {app: web-$i}}" \
      "    spec:" "      containers: [{name: web, image: nginx:1.25, ports: [{containerPort: 80, protocol: TCP}]}]"
  elif ((i <= 2 * tenth)); then
    printf '%s\n' "apiVersion: v1" "kind: Service" "metadata: {name: svc-$i}" "spec:" \
      "  selector: {app: web-$((i - tenth))}" "  ports: [{port: 80, protocol: TCP}]"
  else
    printf '%s\n' "apiVersion: v1" "kind: ConfigMap" "metadata: {name: settings-$i}" \
      "data: {key: \"value $i\", mode: production}"
  fi >"$work/deploy/object-$i.yaml"
done
git -C "$work" init -q -b main
git -C "$work" add -A
git -C "$work" commit -q -m "$OBJECTS objects"
out=$(git -C "$work" push "file://$repo" main 2>&1) || die "push failed: $out"
id=$(bench_job_id "$out")
bench_wait_done "$id" 300
grep -q 'succeeded' "$spool/done/$id.json" || die "the deploy did not succeed: $(cat "$spool/done/$id.json")"
echo "deployed: $(kc get deployments,services,configmaps -n bench -l pushgate.io/environment=production -o name | wc -l) objects"

diff_cmd=("$bench_bin/pushgate" diff "$repo" production --daemon-config "$daemon_cfg")
out=$("${diff_cmd[@]}" 2>&1) || die "pushgate diff finds drift in an unchanged environment: $out"
if grep -q "not checked" <<<"$out"; then die "pushgate diff left something unchecked: $out"; fi
echo
echo "drift check of an unchanged ${OBJECTS}-object environment:"
bench_time_runs "pushgate diff" "${diff_cmd[@]}"
ours=$TIME_RUNS_MEDIAN
# The manifests lack the ApplySet label pushgate added, so kubectl reports
# every object as differing: a full compare, each object printed.
bench_time_runs "kubectl diff --server-side -f (baseline)" \
  kubectl --kubeconfig "$K8S_KUBECONFIG" diff --server-side -n bench -f "$work/deploy"
awk -v a="$ours" -v b="$TIME_RUNS_MEDIAN" 'BEGIN { printf "ratio pushgate diff / kubectl diff: %.2f\n", a / b }'
bench_load
