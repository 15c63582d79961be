#!/usr/bin/env bash
# `pushgate install` fails closed and can be undone and checked: a hook whose
# program is gone, moved or not executable rejects the push (file:// and
# ssh://) instead of being skipped, whether git runs the program from the
# hook's #! line or, for a path too long for one, through sh; receive.fsckObjects refuses `.git` and
# `..` tree entries; the hooks folder of a --shared=group repository is made
# writable by its owner alone; `pushgate uninstall` leaves the repository as
# it was; `pushgate install --check` finds what is wrong; gitolite's
# LOCAL_CODE is compared with gitolite's own.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/accounts.sh"

run_pushgate() {
  E2E_OUT=$(timeout 30 "$PUSHGATE_BIN_DIR/pushgate" "$@" 2>&1)
  E2E_RC=$?
}

# expect_output ERE WHAT: the last command's output matches ERE.
expect_output() {
  if grep -qE -- "$1" <<<"$E2E_OUT"; then pass "$2"; else fail "$2: no line matches /$1/" "$E2E_OUT"; fi
}

# listing REPO: every file and folder with its type and content, and the
# repository's own config: what install may change and uninstall must undo.
listing() {
  (cd "$1" && find . -path ./objects -prune -o -printf '%p %y %l\n' | sort &&
    find . -path ./objects -prune -o -type f -print0 | sort -z | xargs -0 sha256sum &&
    git config --file config --list)
}

# expect_push_refused_by_git MESSAGE -- CLONE [git-push arguments...]: git
# cannot start the pre-receive hook (its #! program is gone or not
# executable), says so with MESSAGE, and refuses the push.
expect_push_refused_by_git() {
  local message=$1
  shift 2
  push "$@"
  local what="push refused, git says: $message"
  if ((E2E_RC == 0)); then
    fail "$what: the push was accepted" "$E2E_OUT"
  elif ! grep -qF "$message" <<<"$E2E_OUT"; then
    fail "$what: git's message is missing" "$E2E_OUT"
  elif ! grep -qF "(pre-receive hook declined)" <<<"$E2E_OUT"; then
    fail "$what: not declined by the hook" "$E2E_OUT"
  else
    pass "$what"
  fi
}

# A private copy of the programs, so this suite can remove and move them.
movable=$E2E_TMP/movable
mkdir -p "$movable"
cp "$PUSHGATE_BIN_DIR"/pushgate-pre-receive "$PUSHGATE_BIN_DIR"/pushgate-post-receive "$movable/"

test_case "a hook whose #! program is gone, moved or not executable: git refuses the push"
gone=$E2E_SRV/gone.git
git init -q --bare "$gone"
run_pushgate install "$gone" --bin-dir "$movable"
check "install --bin-dir exits 0" test "$E2E_RC" = 0
check "the hook names its program on its #! line" \
  test "$(head -1 "$gone/hooks/pre-receive")" = "#!$movable/pushgate-pre-receive --hook-file"
make_clone "file://$gone" gone
manifest_configmap first | write_file "$E2E_WORK/gone" deploy/first.yaml
commit_all "$E2E_WORK/gone" first
expect_push_ok "$E2E_WORK/gone" origin main
landed=$(rev "$E2E_WORK/gone" HEAD)

chmod -x "$movable/pushgate-pre-receive"
manifest_configmap Bad_Name | write_file "$E2E_WORK/gone" deploy/bad.yaml
commit_all "$E2E_WORK/gone" "a bad manifest"
expect_push_refused_by_git "cannot exec 'hooks/pre-receive': Permission denied" -- "$E2E_WORK/gone" origin main
assert_ref_equals "$gone" refs/heads/main "$landed"
chmod +x "$movable/pushgate-pre-receive"

mv "$movable" "$movable.moved"
expect_push_refused_by_git "cannot run hooks/pre-receive: No such file or directory" -- "$E2E_WORK/gone" origin main
assert_ref_equals "$gone" refs/heads/main "$landed"
mv "$movable.moved" "$movable"

mv "$movable/pushgate-pre-receive" "$E2E_TMP/pre-receive.away"
expect_push_refused_by_git "cannot run hooks/pre-receive: No such file or directory" -- "$E2E_WORK/gone" origin main
assert_ref_equals "$gone" refs/heads/main "$landed"

test_case "--check names a hook whose program is gone"
run_pushgate install --check "$gone"
check "--check exits 1" test "$E2E_RC" = 1
expect_output "^problem: $gone/hooks/pre-receive runs $movable/pushgate-pre-receive, which is missing or not executable.* fix: " \
  "--check names the hook, the program and the fix"
mv "$E2E_TMP/pre-receive.away" "$movable/pushgate-pre-receive"

test_case "post-receive whose program is gone: the push lands, and git says it could not run the hook"
mv "$movable/pushgate-post-receive" "$E2E_TMP/post-receive.away"
git -C "$E2E_WORK/gone" reset -q --hard HEAD~1
manifest_configmap second | write_file "$E2E_WORK/gone" deploy/second.yaml
commit_all "$E2E_WORK/gone" second
expect_push_ok "$E2E_WORK/gone" origin main
check "git says it cannot run hooks/post-receive" grep -qF "cannot run hooks/post-receive: No such file or directory" <<<"$E2E_OUT"
mv "$E2E_TMP/post-receive.away" "$movable/pushgate-post-receive"

test_case "a hook file that others can write is refused: it names the daemon and the identity variable"
chmod o+w "$gone/hooks/pre-receive"
manifest_configmap third | write_file "$E2E_WORK/gone" deploy/third.yaml
commit_all "$E2E_WORK/gone" third
expect_push_rejected "refusing file 'hooks/pre-receive': its mode 0757" "chmod go-w" -- "$E2E_WORK/gone" origin main
assert_ref_equals "$gone" refs/heads/main "$(rev "$E2E_WORK/gone" HEAD~1)"
chmod o-w "$gone/hooks/pre-receive"

test_case "a program path too long for a #! line: the hook is a sh script that rejects when the program is gone"
deep=$E2E_TMP/$(printf 'long%.0s' {1..30})
mkdir -p "$deep"
cp "$movable"/pushgate-pre-receive "$movable"/pushgate-post-receive "$deep/"
long=$E2E_SRV/long.git
git init -q --bare "$long"
run_pushgate install "$long" --bin-dir "$deep"
check "install exits 0" test "$E2E_RC" = 0
check "the hook starts sh" test "$(head -1 "$long/hooks/pre-receive")" = "#!/bin/sh"
make_clone "file://$long" long
manifest_configmap fine | write_file "$E2E_WORK/long" deploy/fine.yaml
commit_all "$E2E_WORK/long" fine
expect_push_ok "$E2E_WORK/long" origin main
manifest_configmap Bad_Name | write_file "$E2E_WORK/long" deploy/bad.yaml
commit_all "$E2E_WORK/long" "a bad manifest"
expect_push_rejected k8s.name -- "$E2E_WORK/long" origin main
mv "$deep/pushgate-pre-receive" "$E2E_TMP/deep.away"
expect_push_rejected "pushgate: error: $deep/pushgate-pre-receive is missing or not executable; push rejected" \
  "pushgate install $long" -- "$E2E_WORK/long" origin main
assert_ref_equals "$long" refs/heads/main "$(rev "$E2E_WORK/long" HEAD~1)"

test_case "receive.fsckObjects: trees with .git or .. entries are refused"
fsck=$E2E_SRV/fsck.git
make_bare fsck
check "install set receive.fsckObjects" test "$(git --git-dir="$fsck" config --bool receive.fsckObjects)" = true
make_clone "file://$fsck" fsck
dir=$E2E_WORK/fsck
blob=$(echo '[core] fsmonitor = touch /tmp/owned' | git -C "$dir" hash-object -w --stdin)
inner=$(printf '100644 blob %s\tconfig\n' "$blob" | git -C "$dir" mktree)
dotgit=$(git -C "$dir" commit-tree -m "a .git folder" "$(printf '040000 tree %s\t.git\n' "$inner" | git -C "$dir" mktree)")
expect_push_rejected "hasDotgit" -- "$dir" origin "$dotgit:refs/heads/main"
assert_ref_missing "$fsck" refs/heads/main
dotdot=$(git -C "$dir" commit-tree -m "a .. entry" "$(printf '040000 tree %s\t..\n' "$inner" | git -C "$dir" mktree)")
expect_push_rejected "hasDotdot" -- "$dir" origin "$dotdot:refs/heads/main"
assert_ref_missing "$fsck" refs/heads/main

test_case "a --shared=group repository's hooks folder is made writable by its owner alone"
shared=$E2E_SRV/shared.git
git init -q --bare --shared=group "$shared"
run_pushgate install "$shared"
check "install exits 0" test "$E2E_RC" = 0
check "hooks/ is not writable by group or others" test "$(stat -c %A "$shared/hooks" | cut -c6,9)" = "--"
expect_output "made $shared/hooks not writable by group or others \(mode 2775 -> 2755\)" "install says what it changed"
run_pushgate install --check "$shared"
check "--check on the fresh install exits 0" test "$E2E_RC" = 0
expect_output "^warning: $shared is shared with its group" "--check warns that group members can change a shared repository"

test_case "--check: ok on a clean install, a problem per fault"
clean=$E2E_SRV/clean.git
make_bare clean
run_pushgate install --check "$clean"
check "--check exits 0" test "$E2E_RC" = 0
check "every line is ok" test -z "$(grep -v '^ok: ' <<<"$E2E_OUT")"
chmod g+w "$clean/hooks"
run_pushgate install --check "$clean"
check "a group-writable hooks folder: exit 1" test "$E2E_RC" = 1
expect_output "^problem: refusing folder '$clean/hooks': its mode 0775 .* fix: chmod go-w '$clean/hooks'" \
  "--check names the folder, its mode and the fix"
chmod g-w "$clean/hooks"
chown "$E2E_PUSHER" "$clean/pushgate.yaml"
run_pushgate install --check --format json "$clean"
check "a pushgate.yaml that a pusher owns: exit 1" test "$E2E_RC" = 1
if python3 -c '
import json, sys
out = json.loads(sys.stdin.read())
assert out["ok"] is False
assert any(c["status"] == "problem" and "belongs to pgpusher" in c["message"] and c["fix"].startswith("chown") for c in out["checks"])
' <<<"$E2E_OUT"; then
  pass "--format json: ok is false, and the problem names the owner and the fix"
else
  fail "--format json does not report the foreign owner" "$E2E_OUT"
fi
chown root "$clean/pushgate.yaml"
ln -sf /nonexistent/pushgate-pre-receive "$clean/hooks/pre-receive"
run_pushgate install --check "$clean"
check "a symbolic link hook: exit 1" test "$E2E_RC" = 1
expect_output "^problem: $clean/hooks/pre-receive is a symbolic link" "--check flags a link hook as fail-open"

test_case "--check: the daemon must serve a repository that has environments"
printf 'environments:\n  production:\n    branch: main\n    deployer: {type: local, dir: %s}\n' \
  "$E2E_TMP/deploy/app" >>"$clean/pushgate.yaml"
printf 'spool: %s\nrepositories: [%s/other.git]\n' "$E2E_TMP/spool" "$E2E_SRV" >"$E2E_TMP/pushgated.yaml"
run_pushgate install "$clean" --daemon-config "$E2E_TMP/pushgated.yaml"
run_pushgate install --check "$clean"
check "not served, no daemon: exit 1" test "$E2E_RC" = 1
expect_output "^problem: pushgated \($E2E_TMP/pushgated.yaml\) does not serve $clean" "--check reads the daemon config the hook names"
expect_output "^problem: no pushgated answers on " "--check says no daemon answers"
printf 'spool: %s\nrepositories: [%s/*.git]\n' "$E2E_TMP/spool" "$E2E_SRV" >"$E2E_TMP/pushgated.yaml"
run_pushgate install --check "$clean"
expect_output "^ok: pushgated \($E2E_TMP/pushgated.yaml\) serves $clean" "a glob in repositories: serves it"

test_case "uninstall leaves the repository as it was before install"
round=$E2E_SRV/round.git
git init -q --bare --shared=group "$round"
printf '#!/bin/sh\necho their post-receive ran >&2\n' >"$round/hooks/post-receive"
chmod 0755 "$round/hooks/post-receive"
chmod g-w "$round/hooks"
git --git-dir="$round" config receive.fsckObjects false
before=$(listing "$round")
run_pushgate install "$round" --chain
check "install --chain exits 0" test "$E2E_RC" = 0
run_pushgate uninstall "$round"
check "uninstall exits 0" test "$E2E_RC" = 0
expect_output "put back $round/hooks/post-receive" "uninstall puts the chained hook back"
expect_output "set receive.fsckObjects back to false" "uninstall restores a setting it changed"
expect_output "unset receive.advertisePushOptions" "uninstall unsets a setting that was not set"
after=$(listing "$round")
if [[ $after == "$before" ]]; then
  pass "files, contents and config are as before install"
else
  fail "uninstall left the repository changed" "$(diff <(echo "$before") <(echo "$after"))"
fi
run_pushgate uninstall "$round"
check "a second uninstall exits 0" test "$E2E_RC" = 0
check "and changes nothing" test "$(listing "$round")" = "$before"

test_case "uninstall keeps an edited pushgate.yaml and restores a --force backup"
edited=$E2E_SRV/edited.git
git init -q --bare "$edited"
printf '#!/bin/sh\nexit 0\n' >"$edited/hooks/pre-receive"
chmod 0755 "$edited/hooks/pre-receive"
cp "$edited/hooks/pre-receive" "$E2E_TMP/their-hook"
run_pushgate install "$edited" --force
printf '# edited\n' >>"$edited/pushgate.yaml"
run_pushgate uninstall "$edited"
check "uninstall exits 0" test "$E2E_RC" = 0
expect_output "left $edited/pushgate.yaml: it was edited after install" "uninstall says it left the edited pushgate.yaml"
check "the edited pushgate.yaml is still there" grep -qx '# edited' "$edited/pushgate.yaml"
check "the replaced hook is back in its place" cmp -s "$edited/hooks/pre-receive" "$E2E_TMP/their-hook"
check "no post-receive is left" test ! -e "$edited/hooks/post-receive"

test_case "gitolite: setup --hooks-only only when something changed; LOCAL_CODE compared with gitolite's"
lc=$E2E_TMP/local
mkdir -p "$E2E_TMP/fakebin"
printf '#!/bin/sh\n[ "$*" = "query-rc LOCAL_CODE" ] && echo %s/elsewhere\n' "$E2E_TMP" >"$E2E_TMP/fakebin/gitolite"
chmod +x "$E2E_TMP/fakebin/gitolite"
git init -q --bare "$E2E_SRV/gl.git"
E2E_OUT=$(PATH=$E2E_TMP/fakebin:$PATH "$PUSHGATE_BIN_DIR/pushgate" install --layout gitolite --local-code "$lc" "$E2E_SRV/gl.git" 2>&1)
expect_output "gitolite setup --hooks-only" "the first install asks for gitolite setup --hooks-only"
expect_output "warning: --local-code $lc is not gitolite's LOCAL_CODE \($E2E_TMP/elsewhere" \
  "a --local-code that differs from gitolite query-rc LOCAL_CODE is warned about"
check "the gitolite hook names GL_USER" grep -qx "identity_from='GL_USER'" "$lc/hooks/common/post-receive"
printf '#!/bin/sh\necho %s\n' "$lc" >"$E2E_TMP/fakebin/gitolite"
E2E_OUT=$(PATH=$E2E_TMP/fakebin:$PATH "$PUSHGATE_BIN_DIR/pushgate" install "$E2E_SRV/gl.git" 2>&1)
if grep -q 'hooks-only\|warning' <<<"$E2E_OUT"; then
  fail "a second install with nothing to change still asks for setup, or warns" "$E2E_OUT"
else
  pass "a second install (layout from the record) neither asks for setup nor warns"
fi

run_pushgate install --check "$E2E_SRV/gl.git"
expect_output "^problem: $E2E_SRV/gl.git/hooks/pre-receive does not lead to $lc/hooks/common/pre-receive: gitolite has not linked it" \
  "--check says gitolite has not linked the hooks yet"
ln -s "$lc/hooks/common/pre-receive" "$E2E_SRV/gl.git/hooks/pre-receive"
ln -s "$lc/hooks/common/post-receive" "$E2E_SRV/gl.git/hooks/post-receive"
run_pushgate install --check "$E2E_SRV/gl.git"
check "--check exits 0 once they are linked (what gitolite setup --hooks-only does)" test "$E2E_RC" = 0

test_case "ssh://: a hook whose #! program is gone: git refuses the push"
if command -v sshd >/dev/null || [[ -x /usr/sbin/sshd ]]; then
  # shellcheck source-path=SCRIPTDIR
  source "$(dirname "${BASH_SOURCE[0]}")/servers.sh"
  start_sshd
  make_clone "$SSH_URL$gone" gone-ssh
  mv "$movable/pushgate-pre-receive" "$E2E_TMP/pre-receive.away"
  manifest_configmap over-ssh | write_file "$E2E_WORK/gone-ssh" deploy/ssh.yaml
  commit_all "$E2E_WORK/gone-ssh" "over ssh"
  expect_push_refused_by_git "cannot run hooks/pre-receive: No such file or directory" -- "$E2E_WORK/gone-ssh" origin main
  mv "$E2E_TMP/pre-receive.away" "$movable/pushgate-pre-receive"
  expect_push_ok "$E2E_WORK/gone-ssh" origin main
else
  echo "note: no sshd here; the ssh:// case is not run"
fi

finish
