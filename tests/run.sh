#!/bin/sh
# The test command: installs what is missing (apt-get), builds, and runs every
# test: unit tests and the end-to-end suites, which start their own sshd and
# git daemon on loopback ports.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=${PUSHGATE_BUILD_DIR:-$root/build}
"$root/contrib/debian-build-deps.sh"
PUSHGATE_BUILD_DIR=$build "$root/contrib/build.sh"
ctest --test-dir "$build" --output-on-failure -j2 --timeout 600
