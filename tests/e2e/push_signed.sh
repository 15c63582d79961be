#!/usr/bin/env bash
# validate.signatures: every commit a push brings to a covered branch must be
# signed by a key the server allows. Real keys made here (ssh-keygen ed25519,
# GnuPG in a private GNUPGHOME exported to a keyring for gpgv), commits
# signed by git itself, pushed over file:// and ssh://.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/servers.sh"

for tool in ssh-keygen gpg gpgv gpgconf; do
  command -v "$tool" >/dev/null || skip "$tool is not installed (Debian: openssh-client, gnupg, gpgv)"
done

KEYS=$E2E_TMP/keys
export GNUPGHOME=$E2E_TMP/gnupg
mkdir -p "$KEYS" && mkdir -m 0700 "$GNUPGHOME"
e2e_at_exit 'gpgconf --kill gpg-agent 2>/dev/null'
for who in alice mallory; do
  ssh-keygen -q -t ed25519 -N '' -C "$who" -f "$KEYS/$who" </dev/null || die "ssh-keygen $who"
done
gpg_key() {  # gpg_key NAME: a signing key without passphrase; prints its fingerprint
  gpg --batch --quiet --passphrase '' --quick-gen-key "$1 <$1@example.invalid>" ed25519 sign 1y 2>/dev/null ||
    die "gpg --quick-gen-key $1"
  gpg --list-keys --with-colons "$1@example.invalid" | awk -F: '/^fpr/ {print $10; exit}'
}
BOB=$(gpg_key bob)
CAROL=$(gpg_key carol)

# The server: main needs signatures, by alice's ssh key or bob's OpenPGP key.
make_bare app
BARE=$E2E_SRV/app.git
printf 'alice@example.invalid %s\n' "$(cut -d' ' -f1,2 "$KEYS/alice.pub")" >"$BARE/allowed_signers"
gpg --export bob@example.invalid >"$BARE/deployers.gpg" || die "gpg --export"
cat >"$BARE/pushgate.yaml" <<'YAML'
validate:
  signatures:
    - branches: [main]
      allowed_signers: allowed_signers
      keyring: deployers.gpg
YAML

SSH_SIGN=(-c gpg.format=ssh -c "user.signingkey=$KEYS/alice.pub")
# sign_commit CLONE MESSAGE [git -c options...]: a commit that adds a line to
# notes.txt, signed with the options given (none: unsigned).
sign_commit() {
  local clone=$1 message=$2
  shift 2
  local sign=()
  (($# > 0)) && sign=(-S)
  echo "$message" >>"$clone/notes.txt"
  git -C "$clone" add notes.txt && git -C "$clone" "$@" commit -q "${sign[@]}" -m "$message" ||
    die "commit '$message' in $clone"
}
short() { git -C "$1" rev-parse --short=7 "$2"; }

# signed_cases URL LABEL: the checks that run over each transport.
signed_cases() {
  local url=$1 label=$2 clone=$E2E_WORK/$3
  make_clone "$url" "$3"
  sign_commit "$clone" "base" "${SSH_SIGN[@]}"
  expect_push_ok "$clone" origin main
  local base
  base=$(rev "$clone" HEAD)

  test_case "$label: an unsigned commit in the middle of three signed ones"
  sign_commit "$clone" "first" "${SSH_SIGN[@]}"
  sign_commit "$clone" "not signed" 
  sign_commit "$clone" "third" "${SSH_SIGN[@]}"
  local middle
  middle=$(short "$clone" HEAD~1)
  expect_push_rejected signature.unsigned "$middle \"not signed\" is not signed" -- "$clone" origin main
  if grep '^remote: ' <<<"$E2E_OUT" | grep -F '[signature.' | grep -qvF "$middle"; then
    fail "a signed commit was reported too" "$E2E_OUT"
  else
    pass "only the unsigned commit is reported"
  fi
  assert_ref_equals "$BARE" refs/heads/main "$base"

  test_case "$label: signed again, the same commits are accepted"
  git -C "$clone" -c gpg.format=ssh -c "user.signingkey=$KEYS/alice.pub" rebase -q \
    --exec "git -c gpg.format=ssh -c user.signingkey=$KEYS/alice.pub commit -q --amend --no-edit -S" "$base" >/dev/null 2>&1 ||
    die "rebase --exec to sign"
  expect_push_ok "$clone" origin main
  assert_ref_equals "$BARE" refs/heads/main "$(rev "$clone" HEAD)"

  test_case "$label: a key that is not in allowed_signers"
  sign_commit "$clone" "by mallory" -c gpg.format=ssh -c "user.signingkey=$KEYS/mallory.pub"
  expect_push_rejected signature.unknown-key "$(cut -d' ' -f2 "$KEYS/mallory.pub")" -- "$clone" origin main
  git -C "$clone" reset -q --hard HEAD~1
}

signed_cases "file://$BARE" "file://" file-clone

test_case "file://: OpenPGP: a key of the keyring, then one that is not in it"
clone=$E2E_WORK/file-clone
sign_commit "$clone" "by bob" -c gpg.format=openpgp -c "user.signingkey=$BOB"
expect_push_ok "$clone" origin main
sign_commit "$clone" "by carol" -c gpg.format=openpgp -c "user.signingkey=$CAROL"
expect_push_rejected signature.unknown-key "is not in the keyring" -- "$clone" origin main
git -C "$clone" reset -q --hard HEAD~1

test_case "file://: a signed commit changed afterwards (bad signature)"
good=$(rev "$clone" HEAD)
sign_commit "$clone" "to be changed" "${SSH_SIGN[@]}"
forged=$(git -C "$clone" cat-file commit HEAD | sed '$s/$/ (changed)/' | git -C "$clone" hash-object -t commit -w --stdin)
git -C "$clone" reset -q --hard "$forged"
expect_push_rejected signature.bad "${forged:0:7}" -- "$clone" origin main
check "the pusher is told the signature does not match (checked in-process, not by ssh-keygen)" \
  grep -qF "the ssh-ed25519 signature does not match the signed content" <<<"$E2E_OUT"
assert_ref_equals "$BARE" refs/heads/main "$good"
git -C "$clone" reset -q --hard "$good"

test_case "file://: commits already on an unchecked branch still need signatures to reach main"
sign_commit "$clone" "unsigned on dev"
expect_push_ok "$clone" origin HEAD:refs/heads/dev
expect_push_rejected signature.unsigned "\"unsigned on dev\"" -- "$clone" origin HEAD:main
assert_ref_equals "$BARE" refs/heads/main "$good"

test_case "pushgate validate --range reports the unsigned commit, --rev a signed one clean"
out=$("$PUSHGATE_BIN_DIR/pushgate" validate --repo "$clone" --config "$BARE/pushgate.yaml" --ref main \
  --range "$good..HEAD" 2>&1)
rc=$?
if ((rc == 1)) && grep -qF "[signature.unsigned] commit $(short "$clone" HEAD) \"unsigned on dev\"" <<<"$out"; then
  pass "exit 1, naming the commit"
else
  fail "pushgate validate --range: exit $rc" "$out"
fi
out=$("$PUSHGATE_BIN_DIR/pushgate" validate --repo "$clone" --config "$BARE/pushgate.yaml" --ref main --rev "$good" 2>&1)
check "pushgate validate --rev of a signed commit exits 0 ($out)" test $? -eq 0

test_case "an allowed_signers file that others may write refuses every covered push"
chmod o+w "$BARE/allowed_signers"
sign_commit "$clone" "signed" "${SSH_SIGN[@]}"
expect_push_rejected "allowed_signers" "o-w" -- "$clone" origin HEAD:main
chmod o-w "$BARE/allowed_signers"
git -C "$clone" reset -q --hard "$good"

start_sshd
signed_cases "$SSH_URL$BARE" "ssh://" ssh-clone

finish
