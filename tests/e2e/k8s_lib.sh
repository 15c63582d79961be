# shellcheck shell=bash
# Shared by the Kubernetes suites, sourced after lib.sh: skips where kubectl
# cannot prune with ApplySet or the test cluster cannot start; otherwise
# starts the cluster of tests/support/k8s_cluster.sh and the stand-in for the
# kubelet (k8s_fake_kubelet: Pods set Running and Ready through /status,
# except those labelled never-ready), and gives kc, kubectl against it.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/../support/k8s_cluster.sh"

command -v kubectl >/dev/null || skip "no kubectl"
minor=$(kubectl version --client -o json 2>/dev/null | sed -nE 's/.*"minor": *"([0-9]+).*/\1/p')
((${minor:-0} >= 27)) || skip "kubectl 1.${minor:-?} is older than 1.27: the kubernetes deployer prunes with ApplySet"

k8s_cluster_start "$E2E_TMP/cluster" E2E_PIDS skip
kc() { kubectl --kubeconfig "$K8S_KUBECONFIG" "$@"; }
echo "cluster: $K8S_SERVER"
k8s_fake_kubelet "$K8S_KUBECONFIG" &
E2E_PIDS+=($!)
