#!/usr/bin/env bash
# SHA-256 repositories, where creation and deletion carry a zero object id of
# 64 hex digits. When pushgate's libgit2 cannot open such repositories, the
# suite checks that hooks copied in by hand fail closed, then skips.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

bare=$E2E_SRV/sha256.git
out=$(git init -q --bare --object-format=sha256 "$bare" 2>&1) ||
  skip "$(git --version) cannot create SHA-256 repositories: $out"

# The clone is made by hand: git 2.39 cannot clone an empty SHA-256
# repository into a SHA-256 one.
dev=$E2E_WORK/dev
if ! { git init -q --object-format=sha256 "$dev" && git -C "$dev" remote add origin "file://$bare"; }; then
  die "cannot create a SHA-256 clone"
fi
manifest_deployment web | write_file "$dev" deploy/web.yaml
commit_all "$dev" "baseline"

if ! install_out=$("$PUSHGATE_BIN_DIR/pushgate" install "$bare" 2>&1); then
  grep -qi 'objectformat' <<<"$install_out" ||
    die "pushgate install on a SHA-256 repository failed for another reason" "$install_out"
  test_case "a SHA-256 repository that pushgate cannot open rejects every push"
  make_bare sha1
  cp "$E2E_SRV/sha1.git/hooks/pre-receive" "$E2E_SRV/sha1.git/hooks/post-receive" "$bare/hooks/"
  expect_push_rejected pushgate -- "$dev" origin main
  assert_ref_missing "$bare" refs/heads/main
  ((E2E_FAILED == 0)) || finish
  skip "pushgate cannot open SHA-256 repositories with this libgit2 ($install_out)"
fi

test_case "a new main with good manifests is accepted"
expect_push_ok "$dev" origin main
assert_ref_equals "$bare" refs/heads/main "$(rev "$dev" HEAD)"

test_case "a new branch with a bad manifest is rejected"
git -C "$dev" checkout -q -b broken
manifest_deployment Bad_Web | write_file "$dev" deploy/web.yaml
commit_all "$dev" "bad name"
expect_push_rejected k8s.name -- "$dev" origin broken
assert_ref_missing "$bare" refs/heads/broken

test_case "an update with a bad manifest is rejected"
expect_push_rejected k8s.name -- "$dev" origin broken:main
assert_ref_equals "$bare" refs/heads/main "$(rev "$dev" main)"

test_case "a new branch is accepted, then deleted"
git -C "$dev" checkout -q -b topic main
manifest_configmap topic | write_file "$dev" deploy/topic.yaml
commit_all "$dev" "topic"
expect_push_ok "$dev" origin topic
assert_ref_equals "$bare" refs/heads/topic "$(rev "$dev" topic)"
expect_push_ok "$dev" origin --delete topic
assert_ref_missing "$bare" refs/heads/topic

finish
