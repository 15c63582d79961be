#!/usr/bin/env bash
# Pushes over ssh:// to OpenSSH's sshd on a loopback port: the hooks run under
# the login shell's clean environment, the pusher sees findings as remote:
# lines, and the client verifies the server's host key.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/servers.sh"

start_sshd
make_bare app
transport_basics "$E2E_SRV/app.git" "$SSH_URL$E2E_SRV/app.git" ssh://

test_case "ssh://: an unknown host key is refused"
good_known_hosts=$(cat "$SSH_DIR/known_hosts")
ssh-keygen -q -t ed25519 -N '' -f "$SSH_DIR/impostor_key" || die "ssh-keygen (impostor key)"
printf '%s %s\n' "${good_known_hosts%% *}" "$(cut -d' ' -f1,2 "$SSH_DIR/impostor_key.pub")" >"$SSH_DIR/known_hosts"
before=$(rev "$E2E_SRV/app.git" refs/heads/main)
dir=$BASICS_CLONE
manifest_configmap never-lands | write_file "$dir" deploy/never.yaml
commit_all "$dir" "must not arrive"
push "$dir" origin main
if ((E2E_RC != 0)) && grep -q 'Host key verification failed' <<<"$E2E_OUT"; then
  pass "the push fails: Host key verification failed"
else
  fail "the push with a wrong known host key did not fail on host key verification" "$E2E_OUT"
fi
assert_ref_equals "$E2E_SRV/app.git" refs/heads/main "$before"
printf '%s\n' "$good_known_hosts" >"$SSH_DIR/known_hosts"

finish
