# shellcheck shell=bash
# Shared by the Kubernetes benchmarks (k8s_apply_latency.sh,
# k8s_drift_check.sh): sourced after common.sh and deploy_common.sh, never run.
#
# bench_k8s_environment TIMEOUT: starts the test cluster of
# tests/support/k8s_cluster.sh (run `tests/support/k8s_cluster.sh ensure`
# first) with k8s_fake_kubelet standing in for the kubelet (Pods made Ready
# through /status), a private pushgated, and $repo, a bare repository whose
# environment `production` deploys its `deploy` folder to namespace bench
# with the kubernetes deployer. Gives kc, kubectl against the cluster.

# shellcheck source-path=SCRIPTDIR/..
source "$bench_repo/tests/support/k8s_cluster.sh"

kc() { kubectl --kubeconfig "$K8S_KUBECONFIG" "$@"; }

bench_k8s_environment() {  # TIMEOUT
  cannot_run() { die "no test cluster: $*"; }
  k8s_cluster_start "$bench_tmp/cluster" bench_pids cannot_run
  k8s_fake_kubelet "$K8S_KUBECONFIG" &
  bench_pids+=($!)
  kc create namespace bench >/dev/null
  bench_machine
  echo "binaries: $bench_bin; kubectl $(kubectl version --client -o json | sed -nE 's/.*"gitVersion": *"([^"]+)".*/\1/p')"
  bench_daemon_config "$bench_tmp/daemon" 2
  bench_start_daemon "$bench_tmp/daemon.log"
  repo=$bench_tmp/app.git
  git init -q --bare -b main "$repo"
  "$bench_bin/pushgate" install "$repo" --daemon-config "$daemon_cfg" >/dev/null
  printf '%s\n' "environments:" "  production:" "    branch: main" "    path: deploy" \
    "    deployer: {type: kubernetes, kubeconfig: $K8S_KUBECONFIG, namespace: bench, timeout: $1}" \
    >>"$repo/pushgate.yaml"
}
