#!/usr/bin/env bash
# Pushes over git:// to `git daemon --enable=receive-pack` on a loopback port.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/servers.sh"

start_git_daemon
make_bare app
transport_basics "$E2E_SRV/app.git" "$GIT_DAEMON_URL/app.git" git://

finish
