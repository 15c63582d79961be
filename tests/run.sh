#!/bin/sh
# The test command: installs what is missing (apt-get), builds, and runs every
# test: unit tests and the end-to-end suites, which start their own sshd,
# git daemon and Kubernetes API server on loopback ports.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=${PUSHGATE_BUILD_DIR:-$root/build}
"$root/contrib/debian-build-deps.sh"
PUSHGATE_BUILD_DIR=$build "$root/contrib/build.sh"
# The Kubernetes suites' API server: built once (about 10 minutes on 2 cores)
# into a cache outside the clone, reused after. When it cannot be built in
# time, those suites skip and say why; the rest runs all the same.
timeout 1800 "$root/tests/support/k8s_cluster.sh" ensure ||
  echo "pushgate: no Kubernetes test cluster; the kubernetes suites will skip"
ctest --test-dir "$build" --output-on-failure -j2 --timeout 600
