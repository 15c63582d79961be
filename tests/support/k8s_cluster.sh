#!/bin/bash
# shellcheck shell=bash
# A real Kubernetes API server for the kubernetes suites, on 127.0.0.1
# (../shared/k8s-test-cluster/NOTES.md says what was verified and why).
#
# Run:     k8s_cluster.sh ensure   builds kube-apiserver and kube-controller-manager
#                                   from Debian 12's `kubernetes` source package into
#                                   the cache, or reuses them (seconds); exit 0 when
#                                   they are there, 1 saying why when not
#          k8s_cluster.sh where    prints the cache folder of the binaries
# Sourced: k8s_cluster_start DIR PIDS CANNOT_RUN and k8s_fake_kubelet KUBECONFIG
#          (below) by the e2e suites and benchmarks.
#
# Environment: PUSHGATE_K8S_CACHE (default /var/cache/pushgate-tests) holds
# kubernetes-<Debian version>/{bin,build.log}, outside any clone, so a second
# run, and every worktree, reuse one build.

K8S_DEBIAN_VERSION=1.20.5+really1.20.2-1.1+deb12u1
K8S_CACHE=${PUSHGATE_K8S_CACHE:-/var/cache/pushgate-tests}/kubernetes-$K8S_DEBIAN_VERSION
K8S_BUILD_DEPS="golang-go jq rsync etcd-server golang-github-modern-go-reflect2-dev golang-github-json-iterator-go-dev"

# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/loopback_ports.sh"

# k8s_cluster_missing: prints why the cluster cannot start here, or nothing.
k8s_cluster_missing() {
  local b
  for b in kube-apiserver kube-controller-manager; do
    if [[ ! -x $K8S_CACHE/bin/$b ]]; then
      echo "no $b in $K8S_CACHE/bin (tests/support/k8s_cluster.sh ensure builds it; see $K8S_CACHE/build.log)"
      return
    fi
  done
  command -v etcd >/dev/null || { echo "no etcd (Debian: apt-get install etcd-server)"; return; }
  command -v kubectl >/dev/null || { echo "no kubectl (Debian: apt-get install kubernetes-client)"; return; }
  command -v openssl >/dev/null || echo "no openssl"
}

# ---------------------------------------------------------------- ensure

# k8s_missing_packages: the build dependencies not installed (contrib/debian-build-deps.sh installs them).
k8s_missing_packages() {
  local p
  for p in $K8S_BUILD_DEPS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || printf '%s ' "$p"
  done
}

# k8s_debian_uri: the URI of the machine's configured Debian bookworm main archive.
k8s_debian_uri() {
  apt-cache policy | awk '$3 ~ /^bookworm\/main$/ && $2 ~ /^https?:/ {print $2; exit}'
}

# k8s_build WORK: downloads the source package with a private apt source list
# (deb-src for bookworm main; /etc/apt stays untouched), swaps the vendored
# reflect2 and json-iterator for Debian's (1.0.1 crashes under Go >= 1.18) and
# builds both binaries into $K8S_CACHE/bin.
k8s_build() {
  local work=$1 uri src
  uri=$(k8s_debian_uri)
  [[ -n $uri ]] || { echo "no Debian bookworm main source configured in apt"; return 1; }
  mkdir -p "$work/apt/lists/partial" "$work/apt/cache/archives/partial" "$work/pkg"
  echo "deb-src $uri bookworm main" >"$work/apt/sources.list"
  local apt=(apt-get -q -o "Dir::Etc::SourceList=$work/apt/sources.list" -o Dir::Etc::SourceParts=/nonexistent
    -o "Dir::State::Lists=$work/apt/lists" -o "Dir::Cache=$work/apt/cache")
  "${apt[@]}" update || return 1
  (cd "$work/pkg" && "${apt[@]}" source --download-only "kubernetes=$K8S_DEBIAN_VERSION") || return 1
  src=$work/gopath/src/k8s.io/kubernetes
  mkdir -p "$src"
  tar -xf "$work"/pkg/kubernetes_*.orig.tar.* -C "$src" --strip-components=1 || return 1
  rm -rf "$src/vendor/github.com/modern-go/reflect2" "$src/vendor/github.com/json-iterator/go"
  cp -rL /usr/share/gocode/src/github.com/modern-go/reflect2 "$src/vendor/github.com/modern-go/reflect2" &&
    cp -rL /usr/share/gocode/src/github.com/json-iterator/go "$src/vendor/github.com/json-iterator/go" || return 1
  (cd "$src" && GOPATH=$work/gopath GOCACHE=$work/gocache GOPROXY=off GOFLAGS= \
    make WHAT="cmd/kube-apiserver cmd/kube-controller-manager") || return 1
  mkdir -p "$K8S_CACHE/bin.new"
  cp "$src/_output/bin/kube-apiserver" "$src/_output/bin/kube-controller-manager" "$K8S_CACHE/bin.new/" || return 1
  mv "$K8S_CACHE/bin.new" "$K8S_CACHE/bin"
}

k8s_ensure() {
  [[ -z $(k8s_cluster_missing) ]] && return 0
  mkdir -p "$K8S_CACHE" 2>/dev/null || {
    echo "k8s_cluster: cannot create $K8S_CACHE (set PUSHGATE_K8S_CACHE to a folder you can write)"
    return 1
  }
  # One build at a time, whichever worktree or suite asks.
  exec 9>"$K8S_CACHE/.lock"
  flock 9
  if [[ -z $(k8s_cluster_missing) ]]; then return 0; fi
  local missing
  missing=$(k8s_missing_packages)
  if [[ -n $missing ]]; then
    echo "k8s_cluster: cannot build without: $missing(contrib/debian-build-deps.sh installs them)"
    return 1
  fi
  local work=$K8S_CACHE/work rc=0
  rm -rf "$work" "$K8S_CACHE/bin.new"
  echo "k8s_cluster: building Kubernetes $K8S_DEBIAN_VERSION (about 10 min on 2 cores; log: $K8S_CACHE/build.log)"
  k8s_build "$work" >"$K8S_CACHE/build.log" 2>&1 || rc=$?
  rm -rf "$work"
  if ((rc != 0)); then
    echo "k8s_cluster: build failed; last lines of $K8S_CACHE/build.log:"
    tail -n 20 "$K8S_CACHE/build.log"
    return 1
  fi
  echo "k8s_cluster: built into $K8S_CACHE/bin"
}

# ---------------------------------------------------------------- start

# k8s_cluster_ready KUBECONFIG: the API server answers /readyz.
k8s_cluster_ready() { kubectl --kubeconfig "$1" get --raw /readyz >/dev/null 2>&1; }

# k8s_forget_last PIDS: stops the last process of array PIDS, waits for it
# and drops it: its number may soon be another process's.
k8s_forget_last() {
  local -n k8s_list=$1
  kill "${k8s_list[-1]}" 2>/dev/null
  wait "${k8s_list[-1]}" 2>/dev/null
  unset 'k8s_list[-1]'
}

# k8s_cluster_start DIR PIDS CANNOT_RUN: starts etcd, kube-apiserver (static
# token, AlwaysAllow) and kube-controller-manager on free ports of 127.0.0.1,
# keeping data, certificates and logs in DIR, and writes DIR/kubeconfig (one
# context, "test"). Appends the pids to the caller's array PIDS (the caller
# kills them on exit). CANNOT_RUN is called with the reason when the binaries
# are missing; any other failure calls die with the logs. Sets K8S_KUBECONFIG
# and K8S_SERVER.
k8s_cluster_start() {
  local dir=$1 cannot_run=$3 why
  local -n k8s_pids=$2
  why=$(k8s_cluster_missing)
  [[ -z $why ]] || "$cannot_run" "$why"
  mkdir -p "$dir/etcd" "$dir/certs"
  openssl genrsa -out "$dir/sa.key" 2048 2>/dev/null || die "openssl genrsa"
  local token
  token=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
  echo "$token,pushgate-test,1000,system:masters" >"$dir/tokens.csv"

  local client peer api tries
  for tries in 1 2 3; do
    client=$(free_port) && peer=$(free_port) || die "no free port for etcd"
    etcd --data-dir "$dir/etcd" --listen-client-urls "http://127.0.0.1:$client" \
      --advertise-client-urls "http://127.0.0.1:$client" --listen-peer-urls "http://127.0.0.1:$peer" \
      --initial-advertise-peer-urls "http://127.0.0.1:$peer" \
      --initial-cluster "default=http://127.0.0.1:$peer" >"$dir/etcd.log" 2>&1 &
    k8s_pids+=($!)
    wait_until_listening $! grep -q 'ready to serve client requests' "$dir/etcd.log" && break
    k8s_forget_last k8s_pids
    ((tries < 3)) || die "etcd did not start" "$(tail -n 20 "$dir/etcd.log")"
  done

  for tries in 1 2 3; do
    api=$(free_port) || die "no free port for kube-apiserver"
    "$K8S_CACHE/bin/kube-apiserver" --etcd-servers "http://127.0.0.1:$client" \
      --bind-address 127.0.0.1 --secure-port "$api" --cert-dir "$dir/certs" \
      --service-account-issuer https://kubernetes.default.svc --service-account-key-file "$dir/sa.key" \
      --service-account-signing-key-file "$dir/sa.key" --service-cluster-ip-range 10.96.0.0/16 \
      --token-auth-file "$dir/tokens.csv" --authorization-mode AlwaysAllow \
      --disable-admission-plugins ServiceAccount >"$dir/apiserver.log" 2>&1 &
    k8s_pids+=($!)
    K8S_SERVER=https://127.0.0.1:$api
    K8S_KUBECONFIG=$dir/kubeconfig
    kubectl config --kubeconfig "$K8S_KUBECONFIG" set-cluster test --server "$K8S_SERVER" \
      --insecure-skip-tls-verify=true >/dev/null
    kubectl config --kubeconfig "$K8S_KUBECONFIG" set-credentials test --token "$token" >/dev/null
    kubectl config --kubeconfig "$K8S_KUBECONFIG" set-context test --cluster test --user test >/dev/null
    kubectl config --kubeconfig "$K8S_KUBECONFIG" use-context test >/dev/null
    chmod 600 "$K8S_KUBECONFIG"
    for _ in $(seq 300); do
      k8s_cluster_ready "$K8S_KUBECONFIG" && break
      kill -0 "${k8s_pids[-1]}" 2>/dev/null || break
      sleep 0.1
    done
    k8s_cluster_ready "$K8S_KUBECONFIG" && break
    k8s_forget_last k8s_pids
    ((tries < 3)) || die "kube-apiserver did not become ready" "$(tail -n 30 "$dir/apiserver.log")"
  done

  "$K8S_CACHE/bin/kube-controller-manager" --kubeconfig "$K8S_KUBECONFIG" --port 0 \
    --leader-elect=false --use-service-account-credentials=false \
    --controllers '*,-serviceaccount-token' >"$dir/controller-manager.log" 2>&1 &
  k8s_pids+=($!)
  # Working once its controllers run: the service account controller makes
  # default/default. Suites that wait for rollouts need the deployment
  # controller up first, or a loaded machine times them out.
  for _ in $(seq 600); do
    kubectl --kubeconfig "$K8S_KUBECONFIG" get serviceaccount default -n default >/dev/null 2>&1 && return 0
    kill -0 "${k8s_pids[-1]}" 2>/dev/null || break
    sleep 0.1
  done
  die "kube-controller-manager did not start its controllers" "$(tail -n 30 "$dir/controller-manager.log")"
}

# k8s_fake_kubelet KUBECONFIG: stands in for the kubelet there is not: sets
# every Pod not labelled never-ready to Running and Ready through the /status
# subresource, every 0.2 s, until killed (run it in the background).
k8s_fake_kubelet() {
  local ready='{"status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}]}}' pod
  while :; do
    for pod in $(kubectl --kubeconfig "$1" get pods -A -l '!never-ready' --field-selector=status.phase!=Running \
      -o jsonpath='{range .items[*]}{.metadata.namespace}/{.metadata.name}{" "}{end}' 2>/dev/null); do
      kubectl --kubeconfig "$1" patch pod -n "${pod%%/*}" "${pod#*/}" --subresource=status --type=merge \
        -p "$ready" >/dev/null 2>&1
    done
    sleep 0.2
  done
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  case ${1:-} in
    ensure) k8s_ensure ;;
    where) echo "$K8S_CACHE" ;;
    *) echo "usage: $0 ensure|where" >&2; exit 2 ;;
  esac
fi
