#!/bin/sh
# Installs what pushgate needs to build and test on Debian 12, if missing.
# Used by tests/run.sh and contrib/demo.sh; safe to run again. The Go, etcd
# and jq packages build and run the Kubernetes test cluster
# (tests/support/k8s_cluster.sh).
set -eu

packages="build-essential cmake ninja-build pkg-config git libgit2-dev libssh-dev
libfyaml-dev libfmt-dev libboost-dev catch2 libcli11-dev nlohmann-json3-dev
openssh-server openssh-client time python3 strace rsync
libpcre2-dev libcpp-httplib-dev gnupg gpgv libssl-dev
golang-go jq etcd-server golang-github-modern-go-reflect2-dev golang-github-json-iterator-go-dev"

missing=""
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "pushgate: installing:$missing"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -q
# shellcheck disable=SC2086 # the list is meant to split
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends $missing
