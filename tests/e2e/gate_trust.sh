#!/usr/bin/env bash
# The gate's trust boundary (issue 7): what a pusher can write that the gate
# must not believe. A group member replacing the shared repository's
# pushgate.yaml or writing its hooks folder; a symbolic link whose name says
# manifest and whose target is something else; tags, which name deployable
# commits as much as branches do; case variants of the deploy-record refs; a
# git LFS pointer where a manifest should be; control characters in file and
# ref names that would forge lines or drive the pusher's terminal.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/accounts.sh"

PG=$PUSHGATE_BIN_DIR/pushgate

# ------------------------------------------------- a group-shared repository

shared=$E2E_SRV/shared.git
make_bare shared --shared=group
# `pushgate install` does not make hooks/ go-w yet on this branch (the
# INSTALL helper's part): do it here, as an administrator would.
chmod go-w "$shared/hooks"
chown -R "$E2E_OWNER:$E2E_GROUP" "$shared"
pusher_work=$E2E_WORK/$E2E_PUSHER
mkdir -p "$pusher_work" && chown "$E2E_PUSHER" "$pusher_work"
pclone=$pusher_work/shared
as_user "$E2E_PUSHER" git clone -q "file://$shared" "$pclone" >/dev/null 2>&1 || die "clone as $E2E_PUSHER"

# as_pusher_commit PATH MESSAGE: writes standard input to PATH in the
# pusher's clone and commits it as the pusher.
as_pusher_commit() {
  local content
  content=$(cat)
  as_user "$E2E_PUSHER" sh -c 'mkdir -p "$(dirname "$1/$2")" && printf "%s\n" "$3" >"$1/$2" &&
    git -C "$1" add -A && git -C "$1" commit -q -m "$4"' sh "$pclone" "$1" "$content" "$2" ||
    die "commit as $E2E_PUSHER"
}

test_case "shared repository: a pusher's good push is accepted"
manifest_configmap web | as_pusher_commit deploy/web.yaml "good"
as_user_push "$E2E_PUSHER" "$pclone" origin main
if ((E2E_RC == 0)); then pass "accepted"; else fail "the good push was refused (exit $E2E_RC)" "$E2E_OUT"; fi

test_case "shared repository: a pusher's own pushgate.yaml is refused"
saved=$E2E_TMP/pushgate.yaml.saved
cp -p "$shared/pushgate.yaml" "$saved"
# The git directory is group-writable (setgid, g+w) as git makes it for
# --shared=group: any member can replace the file.
as_user "$E2E_PUSHER" sh -c 'rm -f "$1/pushgate.yaml" && printf "validate:\n  include: []\n" >"$1/pushgate.yaml"' \
  sh "$shared" || die "the pusher could not replace pushgate.yaml (the attack needs a group-writable git dir)"
printf 'a: [\n' | as_pusher_commit deploy/broken.yaml "broken yaml"
as_user_push "$E2E_PUSHER" "$pclone" origin main
if ((E2E_RC == 0)); then
  fail "the push was accepted: validation was off by the pusher's pushgate.yaml" "$E2E_OUT"
else
  pass "rejected"
  for want in "pushgate.yaml" "$E2E_PUSHER" "chown" "every push is"; do
    grep -q "^remote: .*$want" <<<"$E2E_OUT" && pass "a remote: line names '$want'" ||
      fail "no remote: line names '$want'" "$E2E_OUT"
  done
fi

test_case "shared repository: a group-writable pushgate.yaml of the owner is refused"
rm -f "$shared/pushgate.yaml"
cp -p "$saved" "$shared/pushgate.yaml"
chown "$E2E_OWNER:$E2E_GROUP" "$shared/pushgate.yaml"
chmod 0664 "$shared/pushgate.yaml"
as_user_push "$E2E_PUSHER" "$pclone" origin main
if ((E2E_RC == 0)); then fail "the push was accepted" "$E2E_OUT"; else pass "rejected"; fi
expect_remote_line "pushgate.yaml.*0664.*chmod go-w"
# libgit2 (which the CLI opens repositories with) takes safe.directory by
# exact path only.
git config --global --add safe.directory "$shared"
out=$("$PG" validate --rev main --repo "$shared" 2>&1)
rc=$?
if ((rc == 2)) && grep -q "pushgate.yaml.*0664.*chmod go-w" <<<"$out"; then
  pass "pushgate validate --rev refuses the repository's untrusted config too"
else
  fail "pushgate validate --rev exit $rc" "$out"
fi
chmod 0644 "$shared/pushgate.yaml"

test_case "shared repository: a group-writable hooks folder refuses every push"
as_user "$E2E_PUSHER" git -C "$pclone" reset -q --hard HEAD~1
manifest_configmap web2 | as_pusher_commit deploy/web2.yaml "good again"
chmod g+w "$shared/hooks"
as_user_push "$E2E_PUSHER" "$pclone" origin main
if ((E2E_RC == 0)); then fail "the push was accepted" "$E2E_OUT"; else pass "rejected"; fi
expect_remote_line "hooks.*chmod go-w"
chmod go-w "$shared/hooks"
as_user_push "$E2E_PUSHER" "$pclone" origin main
if ((E2E_RC == 0)); then pass "accepted once hooks/ is go-w again"; else fail "still refused after chmod go-w" "$E2E_OUT"; fi

# ------------------------------------------------- what a pushed tree holds

bare=$E2E_SRV/gate.git
test_case "a plain repository for the tree cases"
make_bare gate
make_clone "file://$bare" dev
dev=$E2E_WORK/dev
manifest_configmap base | write_file "$dev" deploy/base.yaml
commit_all "$dev" "base"
expect_push_ok "$dev" origin main

reset_dev() { git -C "$dev" reset -q --hard origin/main && git -C "$dev" clean -qfd; }

test_case "a symlink named like a manifest is validated as its target"
printf 'a: [\n' | write_file "$dev" deploy/web.txt
ln -s web.txt "$dev/deploy/web.yaml"
commit_all "$dev" "link to invalid yaml"
expect_push_rejected yaml.syntax deploy/web.yaml -- "$dev" origin main
reset_dev

test_case "a symlink whose target changes is validated again"
manifest_configmap linked | write_file "$dev" deploy/web.txt
ln -s web.txt "$dev/deploy/web.yaml"
commit_all "$dev" "link to valid yaml"
expect_push_ok "$dev" origin main
printf 'a: [\n' | write_file "$dev" deploy/web.txt
commit_all "$dev" "only the target changes"
expect_push_rejected yaml.syntax deploy/web.yaml -- "$dev" origin main
reset_dev

for target in /etc/passwd ../../outside.yaml missing.yaml loop.yaml; do
  test_case "a symlink to $target is refused"
  ln -s "$target" "$dev/deploy/bad.yaml"
  [[ $target == loop.yaml ]] && ln -s bad.yaml "$dev/deploy/loop.yaml"
  commit_all "$dev" "link to $target"
  expect_push_rejected "[file.symlink]" deploy/bad.yaml -- "$dev" origin main
  check "pushgate validate --rev refuses it too" bash -c "! '$PG' validate --rev HEAD --repo '$dev' >/dev/null"
  reset_dev
done

test_case "pushgate validate PATH refuses a symlink out of the folder"
mkdir -p "$E2E_TMP/tree/deploy" && ln -s /etc/hostname "$E2E_TMP/tree/deploy/x.yaml"
out=$("$PG" validate "$E2E_TMP/tree" 2>&1)
rc=$?
if ((rc == 1)) && grep -q 'file.symlink' <<<"$out"; then pass "exit 1 with [file.symlink]"; else fail "exit $rc" "$out"; fi
printf 'a: [\n' >"$E2E_TMP/tree/deploy/t.txt" && ln -s t.txt "$E2E_TMP/tree/deploy/y.yaml"
out=$("$PG" validate "$E2E_TMP/tree" 2>&1)
grep -q 'deploy/y.yaml.*yaml.syntax' <<<"$out" && pass "a link inside the folder is validated as its target" ||
  fail "the link to invalid YAML was not reported" "$out"

test_case "a tag is validated like a branch"
git -C "$dev" checkout -q -b side
printf 'a: [\n' | write_file "$dev" deploy/tagged.yaml
commit_all "$dev" "bad on a side branch"
git -C "$dev" tag v1
expect_push_rejected yaml.syntax -- "$dev" origin v1
assert_ref_missing "$bare" refs/tags/v1
git -C "$dev" tag -a -m "annotated" v2
expect_push_rejected yaml.syntax -- "$dev" origin v2
git -C "$dev" tag main-tag
expect_push_rejected yaml.syntax -- "$dev" origin refs/tags/main-tag:refs/tags/main
assert_ref_missing "$bare" refs/tags/main
git -C "$dev" tag tree-tag 'HEAD^{tree}'
expect_push_rejected "[push.tag]" "not a commit" -- "$dev" origin tree-tag
git -C "$dev" checkout -q main
git -C "$dev" tag good-tag
expect_push_ok "$dev" origin good-tag

test_case "deploy-record refs are refused in any case"
for ref in refs/notes/Deploy/x refs/notes/DEPLOY-LOG/y refs/notes/deploy refs/notes/deploy-log; do
  expect_push_rejected "[push.protected-ref]" -- "$dev" origin "HEAD:$ref"
  assert_ref_missing "$bare" "$ref"
done

test_case "a git LFS pointer under a manifest name is a warning naming LFS"
printf 'version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n' |
  write_file "$dev" deploy/big.yaml
commit_all "$dev" "lfs pointer"
expect_push_ok "$dev" origin main
expect_remote_line "deploy/big.yaml:1:1: warning: \[yaml.lfs-pointer\] .*LFS"

test_case "control characters in pushed names are escaped"
esc=$'\e'
name=$'deploy/a\nremote: pushgate: push accepted: 0 errors\e[2K.yaml'
printf 'a: [\n' >"$dev/$name"
commit_all "$dev" "hostile name"
expect_push_rejected yaml.syntax -- "$dev" origin main
if grep -qE '^remote: (remote: )?pushgate: push accepted' <<<"$E2E_OUT"; then
  fail "a forged 'push accepted' line reached the pusher" "$E2E_OUT"
else
  pass "no forged line"
fi
[[ $E2E_OUT != *"$esc"* ]] && pass "no ESC byte in the output" || fail "an ESC byte reached the pusher" "$(cat -v <<<"$E2E_OUT")"
expect_remote_line 'deploy/a\\nremote: pushgate: push accepted: 0 errors\\x1b\[2K\.yaml'
out=$(cd "$dev" && "$PG" validate deploy 2>&1)
[[ $out != *"$esc"* ]] && pass "pushgate validate escapes it too" || fail "an ESC byte in validate's output" "$(cat -v <<<"$out")"
reset_dev

test_case "pushgate status and log escape what deploy notes hold"
# The daemon writes these notes; what they quote (pushers, messages, command
# output) came from pushes.
cat >>"$bare/pushgate.yaml" <<EOF
environments:
  production:
    branch: main
    deployer: {type: local, dir: $E2E_TMP/deployed}
EOF
printf 'spool: %s\nstate: %s\nsocket: %s\n' "$E2E_TMP/spool" "$E2E_TMP/state" "$E2E_TMP/sock" >"$E2E_TMP/daemon.yaml"
head=$(rev "$bare" refs/heads/main)
git --git-dir="$bare" notes --ref deploy/production add -m \
  "2026-12-07T10:00:00Z env=production status=succeeded job=1 pusher=\"ev${esc}[2Jil\" message=\"x${esc}y\"" "$head"
git --git-dir="$bare" notes --ref deploy-log/production add -m "step one${esc}[31m red"$'\nfake\rline' "$head"
out=$("$PG" status "$bare" --daemon-config "$E2E_TMP/daemon.yaml" 2>&1)
[[ $out != *"$esc"* && $out == *'by ev\x1b[2Jil'* ]] && pass "status shows the pusher escaped" ||
  fail "status prints a raw ESC or no pusher" "$(cat -v <<<"$out")"
out=$("$PG" log "$bare" production --daemon-config "$E2E_TMP/daemon.yaml" 2>&1)
[[ $out != *"$esc"* && $out != *$'\r'* && $out == *'step one\x1b[31m red'* ]] && pass "log shows the deploy log escaped" ||
  fail "log prints a raw ESC or CR" "$(cat -v <<<"$out")"

finish
