#!/usr/bin/env bash
# `pushgate install`: hooks name their programs on their #! lines and carry their settings; an older
# pushgate's sh wrapper is rewritten (and works until then); running it twice changes nothing, an administrator's
# pushgate.yaml is kept, a foreign hook is refused unless chained (--chain) or
# replaced (--force), and a broken pushgate.yaml is reported at install time.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# run_install REPO [options...]: runs `pushgate install`, leaving the output in
# E2E_OUT and the exit status in E2E_RC.
run_install() {
  E2E_OUT=$(timeout 30 "$PUSHGATE_BIN_DIR/pushgate" install "$@" 2>&1)
  E2E_RC=$?
}

# snapshot REPO: what install may touch (hooks, pushgate.yaml, git config).
snapshot() {
  (cd "$1" && find hooks \( -type f -o -type l \) ! -name '*.sample' -printf '%p %y %l %T@\n' | sort &&
    find hooks -type f ! -name '*.sample' | sort | xargs -r sha256sum &&
    sha256sum pushgate.yaml config)
}

good_push_and_bad_push() {
  local bare=$1 clone=$2
  make_clone "file://$bare" "$clone"
  local dir=$E2E_WORK/$clone
  manifest_configmap settings | write_file "$dir" deploy/settings.yaml
  commit_all "$dir" "good"
  expect_push_ok "$dir" origin main
  assert_ref_equals "$bare" refs/heads/main "$(rev "$dir" HEAD)"
  manifest_configmap Bad_Settings | write_file "$dir" deploy/settings.yaml
  commit_all "$dir" "bad"
  expect_push_rejected k8s.name -- "$dir" origin main
  assert_ref_equals "$bare" refs/heads/main "$(rev "$dir" HEAD~1)"
}

test_case "installing twice changes nothing"
make_bare twice
before=$(snapshot "$E2E_SRV/twice.git")
run_install "$E2E_SRV/twice.git"
check "the second install exits 0" test "$E2E_RC" = 0
if [[ $(snapshot "$E2E_SRV/twice.git") == "$before" ]]; then
  pass "hooks, pushgate.yaml and config are unchanged"
else
  fail "the second install changed files" "$before" "$(snapshot "$E2E_SRV/twice.git")" "$E2E_OUT"
fi

test_case "hooks name their programs on the #! line; post-receive names the daemon's config"
scripted=$E2E_SRV/twice.git
bin=$(readlink -f "$PUSHGATE_BIN_DIR")
for hook in pre-receive post-receive; do
  check "$hook is a file, not a symbolic link" test ! -L "$scripted/hooks/$hook"
  check "$hook runs pushgate-$hook from its #! line" \
    test "$(head -1 "$scripted/hooks/$hook")" = "#!$bin/pushgate-$hook --hook-file"
  check "$hook is marked as pushgate's" grep -q '^# pushgate-managed' "$scripted/hooks/$hook"
  check "$hook names pushgate-$hook" grep -qx "program='$bin/pushgate-$hook'" "$scripted/hooks/$hook"
done
check "post-receive names the system daemon config by default" \
  grep -qx "daemon_config='/etc/pushgate/pushgated.yaml'" "$scripted/hooks/post-receive"
check "pre-receive, which needs no daemon, names none" \
  sh -c "! grep -q daemon_config '$scripted/hooks/pre-receive'"
run_install "$scripted" --daemon-config "$E2E_TMP/pushgated.yaml"
check "install --daemon-config exits 0" test "$E2E_RC" = 0
check "post-receive names that daemon config" \
  grep -qx "daemon_config='$E2E_TMP/pushgated.yaml'" "$scripted/hooks/post-receive"
check "no hook exports PUSHGATE_DAEMON_CONFIG any more" \
  sh -c "! grep -q PUSHGATE_DAEMON_CONFIG '$scripted/hooks/pre-receive' '$scripted/hooks/post-receive'"
good_push_and_bad_push "$scripted" scripted
run_install "$scripted"
check "install without it names the system config again" \
  grep -qx "daemon_config='/etc/pushgate/pushgated.yaml'" "$scripted/hooks/post-receive"
check "and leaves nothing behind" test -z "$(find "$scripted/hooks" -name '*.pushgate-*')"

test_case "a symbolic link hook of an older install becomes a script"
old=$E2E_SRV/old.git
git init -q --bare "$old"
ln -s "$bin/pushgate-pre-receive" "$old/hooks/pre-receive"
ln -s "$bin/pushgate-post-receive" "$old/hooks/post-receive"
run_install "$old"
check "install exits 0" test "$E2E_RC" = 0
check "pre-receive is a script now" test ! -L "$old/hooks/pre-receive" -a -x "$old/hooks/pre-receive"
check "post-receive is a script now" test ! -L "$old/hooks/post-receive" -a -x "$old/hooks/post-receive"
run_install "$old"
if [[ $E2E_RC == 0 && $(grep -c 'is up to date' <<<"$E2E_OUT") == 2 ]] && ! grep -q wrote <<<"$E2E_OUT"; then
  pass "a second install says both hooks are up to date and writes nothing"
else
  fail "a second install was not a no-op (exit $E2E_RC)" "$E2E_OUT"
fi

test_case "each layout's hook names the variable that layout vouches for"
for pair in bare: http:REMOTE_USER gitea:GITEA_PUSHER_NAME forgejo:GITEA_PUSHER_NAME gitlab:GL_USERNAME; do
  layout=${pair%%:*} var=${pair#*:}
  repo=$E2E_SRV/layout-$layout.git
  git init -q --bare "$repo"
  run_install "$repo" --layout "$layout"
  post=$(find "$repo" -path '*post-receive*' -type f ! -name '*.sample' | head -1)
  if [[ -z $var ]]; then
    check "$layout: post-receive names no identity variable" sh -c "! grep -q identity_from '$post'"
  else
    check "$layout: post-receive names $var" grep -qx "identity_from='$var'" "$post"
  fi
  check "$layout: post-receive runs its program from its #! line" \
    test "$(head -1 "$post")" = "#!$bin/pushgate-post-receive --hook-file"
done

test_case "an older pushgate's sh wrapper still works, and install rewrites it"
# A private copy of the programs, so this case can remove one.
own=$E2E_TMP/own
mkdir -p "$own"
cp "$bin/pushgate-pre-receive" "$bin/pushgate-post-receive" "$own/"
wrapped=$E2E_SRV/wrapped.git
git init -q --bare "$wrapped"
run_install "$wrapped" --layout gitea --bin-dir "$own"
for hook in pre-receive post-receive; do
  # What pushgate install wrote before hook files named their program on the #! line.
  printf '#!/bin/sh\n# pushgate-managed: written by `pushgate install`; run it again to update.\nprogram=%s\n%s' \
    "'$own/pushgate-$hook'" 'exec "$program" --identity-from GITEA_PUSHER_NAME "$@"
' >"$wrapped/hooks/$hook.d/pushgate"
done
run_install "$wrapped" --check
if grep -q "^warning: $wrapped/hooks/pre-receive.d/pushgate starts /bin/sh on every push" <<<"$E2E_OUT"; then
  pass "--check warns that the old hook starts sh"
else
  fail "--check does not mention the sh wrapper" "$E2E_OUT"
fi
# Gitea's own hooks/pre-receive (a bash script) runs every file in pre-receive.d/.
cat >"$wrapped/hooks/pre-receive" <<'GITEA'
#!/usr/bin/env bash
data=$(cat)
for hook in hooks/pre-receive.d/*; do
  echo "$data" | "$hook" || exit 1
done
GITEA
chmod 0755 "$wrapped/hooks/pre-receive"
good_push_and_bad_push "$wrapped" wrapped
run_install "$wrapped" --bin-dir "$own"
check "install rewrites the wrapper" grep -q "wrote $wrapped/hooks/pre-receive.d/pushgate" <<<"$E2E_OUT"
check "the rewritten hook runs its program from its #! line" \
  test "$(head -1 "$wrapped/hooks/pre-receive.d/pushgate")" = "#!$own/pushgate-pre-receive --hook-file"
manifest_configmap Bad_Again | write_file "$E2E_WORK/wrapped" deploy/settings.yaml
commit_all "$E2E_WORK/wrapped" "bad again"
expect_push_rejected k8s.name -- "$E2E_WORK/wrapped" origin main
rm "$own/pushgate-pre-receive"
push "$E2E_WORK/wrapped" origin main
# bash before 5.2 says "bad interpreter: No such file or directory", 5.2 "cannot execute: required file not found".
if ((E2E_RC != 0)) && grep -qE 'pre-receive.d/pushgate: .*(bad interpreter|required file not found)' <<<"$E2E_OUT"; then
  pass "with the program gone, Gitea's loop cannot run the hook and the push is refused"
else
  fail "with the program gone, the push through pre-receive.d was not refused by the shell" "$E2E_OUT"
fi

test_case "an administrator's pushgate.yaml is kept"
git init -q --bare "$E2E_SRV/own.git"
printf 'validate:\n  max_findings: 7\n' >"$E2E_SRV/own.git/pushgate.yaml"
run_install "$E2E_SRV/own.git"
check "install exits 0" test "$E2E_RC" = 0
check "pushgate.yaml is the administrator's" \
  grep -qx '  max_findings: 7' "$E2E_SRV/own.git/pushgate.yaml"

test_case "a foreign hook is refused"
foreign=$E2E_SRV/foreign.git
git init -q --bare "$foreign"
printf '#!/bin/sh\necho foreign hook ran >&2\n' >"$foreign/hooks/pre-receive"
chmod +x "$foreign/hooks/pre-receive"
cp "$foreign/hooks/pre-receive" "$E2E_TMP/foreign-hook"
run_install "$foreign"
if ((E2E_RC != 0)) && grep -q 'pre-receive' <<<"$E2E_OUT"; then
  pass "install fails and names the hook"
else
  fail "install over a foreign hook: exit $E2E_RC" "$E2E_OUT"
fi
check "the foreign hook is untouched" cmp -s "$foreign/hooks/pre-receive" "$E2E_TMP/foreign-hook"
check "no post-receive was written" test ! -e "$foreign/hooks/post-receive"

test_case "--chain runs the foreign hook before pushgate"
run_install "$foreign" --chain
check "install --chain exits 0" test "$E2E_RC" = 0
good_push_and_bad_push "$foreign" chained
if grep -q '^remote: foreign hook ran' <<<"$E2E_OUT"; then
  pass "the foreign hook ran"
else
  fail "the foreign hook's output is missing" "$E2E_OUT"
fi

test_case "--chain: a foreign hook that rejects still rejects"
blocking=$E2E_SRV/blocking.git
git init -q --bare "$blocking"
printf '#!/bin/sh\necho blocked by policy >&2\nexit 1\n' >"$blocking/hooks/pre-receive"
chmod +x "$blocking/hooks/pre-receive"
run_install "$blocking" --chain
check "install --chain exits 0" test "$E2E_RC" = 0
make_clone "file://$blocking" blocked
manifest_configmap fine | write_file "$E2E_WORK/blocked" deploy/fine.yaml
commit_all "$E2E_WORK/blocked" "fine, but blocked"
expect_push_rejected "blocked by policy" -- "$E2E_WORK/blocked" origin main
assert_ref_missing "$blocking" refs/heads/main

test_case "--force replaces the foreign hook and keeps a backup"
forced=$E2E_SRV/forced.git
git init -q --bare "$forced"
cp "$E2E_TMP/foreign-hook" "$forced/hooks/pre-receive"
run_install "$forced" --force
check "install --force exits 0" test "$E2E_RC" = 0
check "the foreign hook is kept as a backup" cmp -s "$forced/hooks/pre-receive.pushgate-backup" "$E2E_TMP/foreign-hook"
good_push_and_bad_push "$forced" forced
if grep -q 'foreign hook ran' <<<"$E2E_OUT"; then
  fail "the replaced hook still runs" "$E2E_OUT"
else
  pass "the replaced hook no longer runs"
fi

test_case "a broken pushgate.yaml is reported at install time"
broken=$E2E_SRV/broken.git
git init -q --bare "$broken"
printf 'validate:\n  max_findings: many\n' >"$broken/pushgate.yaml"
run_install "$broken"
check "install exits non-zero" test "$E2E_RC" != 0
if grep -qE 'pushgate\.yaml:2:[0-9]+' <<<"$E2E_OUT"; then
  pass "the message names pushgate.yaml:2:col"
else
  fail "no pushgate.yaml:2:col in the install output" "$E2E_OUT"
fi
check "the hooks are installed anyway" test -x "$broken/hooks/pre-receive"
make_clone "file://$broken" broken
manifest_configmap fine | write_file "$E2E_WORK/broken" deploy/fine.yaml
commit_all "$E2E_WORK/broken" "fine, but the config is broken"
expect_push_rejected pushgate.yaml: -- "$E2E_WORK/broken" origin main
expect_remote_line 'pushgate\.yaml:2:[0-9]+'
assert_ref_missing "$broken" refs/heads/main

finish
