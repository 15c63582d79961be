#!/usr/bin/env bash
# Secret scanning of every commit a push brings, over file:// and ssh://: a
# key added in one commit and deleted in the next is still rejected, with its
# commit, file, line and rule as a remote: line and never the key itself; an
# inline pushgate:allow-secret and the administrator's allow-list exempt a
# finding, and the push's output says so. Skips (77) when sshd cannot run.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/servers.sh"

# A made-up AWS access key id, new on every call (spelt in two parts so that
# no key-shaped literal sits in this file).
fake_key() {
  printf '%s%s%s' AK IA "$(head -c 20 /dev/urandom | base32 | tr -dc 'A-Z2-7' | head -c 16)"
}

# expect_no_key_in_output KEY: the last push's output never shows KEY.
expect_no_key_in_output() {
  if grep -qF -- "$1" <<<"$E2E_OUT"; then fail "the output shows the secret" "$E2E_OUT"; else pass "the secret is not shown"; fi
}

# secrets_cases BARE URL LABEL: the scenarios over the transport URL uses.
secrets_cases() {
  local bare=$1 url=$2 label=$3 clone good key added fp
  clone=secrets-${label//[^a-zA-Z0-9]/_}
  make_clone "$url" "$clone"
  local dir=$E2E_WORK/$clone

  test_case "$label: a clean push is scanned and accepted"
  manifest_configmap web | write_file "$dir" deploy/web.yaml
  commit_all "$dir" "add web"
  expect_push_ok "$dir" origin main
  expect_remote_line '^pushgate: secrets: 1 commit, 1 file scanned'
  good=$(rev "$dir" HEAD)

  test_case "$label: a key added and deleted in the same push is rejected"
  key=$(fake_key)
  printf 'REGION=eu-west-1\nAWS_ACCESS_KEY_ID=%s\n' "$key" | write_file "$dir" config/app.env
  commit_all "$dir" "add the key"
  added=$(rev "$dir" HEAD)
  printf 'REGION=eu-west-1\n' | write_file "$dir" config/app.env
  commit_all "$dir" "remove the key again"
  expect_push_rejected "[secrets.aws-access-key]" -- "$dir" origin main
  expect_remote_line "^config/app\.env:2:19: error: \[secrets\.aws-access-key\] AWS access key id AKIA\*{4} in commit ${added:0:10}: "
  expect_no_key_in_output "$key"
  assert_ref_equals "$bare" refs/heads/main "$good"
  fp=$(sed -n 's/.*with fingerprint \([0-9a-f]\{32\}\).*/\1/p' <<<"$E2E_OUT" | head -n 1)

  test_case "$label: the administrator's allow-list accepts it, and the output says so"
  printf '# accepted after review\n%s  # test key, revoked\n' "$fp" >"$bare/secrets-allow.txt"
  printf 'validate:\n  secrets: {allowlist: secrets-allow.txt}\n' >"$bare/pushgate.yaml"
  expect_push_ok "$dir" origin main
  expect_remote_line "^config/app\.env:2:19: note: \[secrets\.aws-access-key\] .* accepted by the allow-list .*secrets-allow\.txt \(fingerprint $fp\)"
  assert_ref_equals "$bare" refs/heads/main "$(rev "$dir" HEAD)"
  good=$(rev "$dir" HEAD)

  test_case "$label: another key is not covered by the allow-list"
  key=$(fake_key)
  printf 'KEY=%s\n' "$key" | write_file "$dir" config/other.env
  commit_all "$dir" "another key"
  expect_push_rejected "[secrets.aws-access-key]" -- "$dir" origin main
  expect_no_key_in_output "$key"
  assert_ref_equals "$bare" refs/heads/main "$good"

  test_case "$label: an inline pushgate:allow-secret accepts it, and the output says so"
  printf 'KEY=%s  # pushgate:allow-secret fixture for the parser tests\n' "$key" | write_file "$dir" config/other.env
  commit_all "$dir" "mark the key as accepted"
  git -C "$dir" reset -q --soft "$good" && commit_all "$dir" "a fixture key, accepted inline"
  expect_push_ok "$dir" origin main
  expect_remote_line '^config/other\.env:1:5: note: \[secrets\.aws-access-key\] .* accepted by pushgate:allow-secret on the line'
  good=$(rev "$dir" HEAD)

  test_case "$label: a Kubernetes Secret in plaintext is rejected; binary files are named with -o pushgate.verbose"
  printf 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: hunter2\n' |
    write_file "$dir" deploy/db-secret.yaml
  printf 'GIF89a\0\0binary' | write_file "$dir" assets/logo.gif
  commit_all "$dir" "a plaintext Secret"
  expect_push_rejected "[secrets.kubernetes-secret]" -- "$dir" -o pushgate.verbose origin main
  expect_remote_line "^deploy/db-secret\.yaml:6:3: error: \[secrets\.kubernetes-secret\] Kubernetes Secret 'db' with 'password' in plaintext"
  expect_remote_line '^pushgate: secrets: assets/logo\.gif in commit [0-9a-f]{10}: binary \(holds a NUL byte\), not scanned'
  expect_no_key_in_output hunter2
  git -C "$dir" reset -q --hard "$good"
  rm -f "$bare/pushgate.yaml" "$bare/secrets-allow.txt"
}

test_case "setup"
make_bare app-file
secrets_cases "$E2E_SRV/app-file.git" "file://$E2E_SRV/app-file.git" file://

test_case "pushgate validate --range scans the same commits"
dir=$E2E_WORK/secrets-file___
key=$(fake_key)
printf 'K=%s\n' "$key" | write_file "$dir" leak.txt
commit_all "$dir" "leak"
printf 'nothing\n' | write_file "$dir" leak.txt
commit_all "$dir" "unleak"
out=$(cd "$dir" && "$PUSHGATE_BIN_DIR/pushgate" validate --range origin/main..HEAD 2>&1)
rc=$?
if ((rc == 1)) && grep -qE '^leak\.txt:1:3: error: \[secrets\.aws-access-key\]' <<<"$out" && ! grep -qF "$key" <<<"$out"; then
  pass "exit 1, the finding at leak.txt:1:3, the key not shown"
else
  fail "pushgate validate --range: exit $rc" "$out"
fi
out=$(cd "$dir" && "$PUSHGATE_BIN_DIR/pushgate" validate . 2>&1)
rc=$?
((rc == 0)) && pass "the work tree (without the key) is clean" || fail "pushgate validate .: exit $rc" "$out"

test_case "a push of more new commits than validate.secrets.max_commits is rejected, saying so"
printf 'validate:\n  secrets: {max_commits: 1}\n' >"$E2E_SRV/app-file.git/pushgate.yaml"
before=$(rev "$E2E_SRV/app-file.git" refs/heads/main)
expect_push_rejected "the push has 2 new commits, more than the 1" "validate.secrets.max_commits" -- "$dir" origin main
assert_ref_equals "$E2E_SRV/app-file.git" refs/heads/main "$before"
rm "$E2E_SRV/app-file.git/pushgate.yaml"

start_sshd
make_bare app-ssh
secrets_cases "$E2E_SRV/app-ssh.git" "$SSH_URL$E2E_SRV/app-ssh.git" ssh://

finish
