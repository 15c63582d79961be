#!/usr/bin/env bash
# Hostile deploys. Configuration values full of shell metacharacters (the
# target folder, `env:` values, command arguments) reach no shell: the
# commands get them verbatim and no canary file that a shell would create
# appears. Pushed trees that would write outside the release folder
# (symlinks to ../../etc/passwd, to /etc/passwd, chains of symlinks, crafted
# tree entries) are refused: the job fails with a message naming the path,
# nothing is written outside the release folder, and the previous release
# stays live. File names full of metacharacters deploy verbatim.
# shellcheck disable=SC2016  # the $(...) and `...` in single quotes are the point
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/deploy_lib.sh"

# ---------------------------------------------------------------- hostile values

# Each would make a shell create a file named pwned_*, here or in /tmp.
abs_canary=/tmp/pushgate-pwned-$$
hostile_args=(
  'arg; touch pwned_arg1'
  '$(touch pwned_arg2)'
  '`touch pwned_arg3`'
  'x | touch pwned_arg4'
  '&& touch pwned_arg5'
  '> pwned_arg6'
  'two  words	and a tab'
  "it's \"quoted\" \\ backslashed"
  '*'
  '~'
  '$HOME'
  '-rf'
  $'new\nline; touch pwned_arg7'
  "\$(touch $abs_canary-arg)"
  '{release}; touch pwned_arg8'
)
env_names=(SEMI SUBST TICKS PIPE QUOTES NEWLINE ABSOLUTE)
env_values=(
  'x; touch pwned_env1'
  '$(touch pwned_env2)'
  '`touch pwned_env3`'
  'a | touch pwned_env4 && touch pwned_env5'
  "it's \"quoted\"  and   spaced"
  $'line1\nline2; touch pwned_env6'
  "\$(touch $abs_canary-env)"
)
weird=$'we ird;touch pwned_dir1|$(touch pwned_dir2)`touch pwned_dir3`&&"dq"\'sq\'*'

# yaml_dq TEXT: TEXT as a YAML double-quoted scalar.
yaml_dq() {
  local s=$1
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  s=${s//$'\n'/\\n}
  s=${s//$'\t'/\\t}
  printf '"%s"' "$s"
}

# yaml_argv ARG...: a YAML flow list of the arguments.
yaml_argv() {
  local out="" a
  for a in "$@"; do out+="${out:+, }$(yaml_dq "$a")"; done
  printf '[%s]' "$out"
}

# ---------------------------------------------------------------- set-up

write_daemon_config 1
target=$E2E_TMP/target/$weird/app
mkdir -p "$E2E_TMP/target" "$E2E_TMP/cwd"
rec=$E2E_TMP/recorded
mkdir -p "$rec"

# Records its arguments, the hostile variables, the release folder and its
# working folder, each NUL-terminated, under the step's name.
recorder=$E2E_TMP/recorder
cat >"$recorder" <<EOF
#!/bin/bash
rec='$rec'
printf '%s\\0' "\$@" >"\$rec/\$1.argv"
for name in ${env_names[*]}; do printf '%s\\0' "\${!name}"; done >"\$rec/\$1.env"
printf '%s\\0' "\$PUSHGATE_RELEASE_DIR" "\$(pwd -P)" >"\$rec/\$1.where"
EOF
chmod +x "$recorder"

make_deploy_bare hostile
bare=$E2E_SRV/hostile.git
{
  echo "environments:"
  echo "  hostile:"
  echo "    branch: main"
  echo "    path: deploy"
  echo "    deployer:"
  echo "      type: local"
  echo "      dir: $(yaml_dq "$target")"
  echo "      keep_releases: 10"
  echo "      before: [$(yaml_argv "$recorder" before "{release}" "${hostile_args[@]}")]"
  echo "      after: [$(yaml_argv "$recorder" after "{release}" "${hostile_args[@]}")]"
  echo "    health: {command: $(yaml_argv "$recorder" health "{release}" "${hostile_args[@]}"), timeout: 5s, retries: 1}"
  echo "    env:"
  for i in "${!env_names[@]}"; do echo "      ${env_names[$i]}: $(yaml_dq "${env_values[$i]}")"; done
} >"$bare/pushgate.yaml"

make_clone "file://$bare" dev
dev=$E2E_WORK/dev

# The daemon's working folder is one a shell would write its canaries into.
cd "$E2E_TMP/cwd" || die "cd $E2E_TMP/cwd"
start_daemon

# assert_no_canary: no file that a shell would have created exists.
assert_no_canary() {
  local found
  found=$(find "$E2E_TMP" -name 'pwned_*' 2>/dev/null; ls -d "$abs_canary"* 2>/dev/null)
  if [[ -z $found ]]; then
    pass "no shell ran: no canary file anywhere"
  else
    fail "a shell ran: canary files exist" "$found"
  fi
}

# push_commit [REF]: pushes REF (default HEAD) of the clone to main; leaves
# its id in COMMIT and the job it queued in JOB.
push_commit() {
  COMMIT=$(rev "$dev" "${1:-HEAD}")
  push "$dev" origin "$COMMIT:refs/heads/main"
  JOB=$(queued_jobs | awk '$1 == "hostile" {print $2}')
}

# await_final STATUS: the pushed job's final record is STATUS; leaves the
# record in RECORD.
await_final() {
  RECORD=""
  if ((E2E_RC != 0)); then
    fail "the push of ${COMMIT:0:7} failed (exit $E2E_RC)" "$E2E_OUT"
    return 1
  fi
  if [[ -z $JOB ]] || ! wait_for_final "$bare" hostile "$COMMIT" "$JOB"; then
    fail "no final record for the push of ${COMMIT:0:7}" "$E2E_OUT" "$(tail -5 "$DAEMON_LOG")"
    return 1
  fi
  RECORD=$(final_records "$bare" hostile "$COMMIT" "$JOB")
  if [[ $FINAL_STATUS == "$1" ]]; then
    pass "job $JOB of ${COMMIT:0:7} ended $1"
  else
    fail "job $JOB of ${COMMIT:0:7} ended $FINAL_STATUS, expected $1" "$RECORD" \
      "$(git --git-dir="$bare" notes --ref=deploy-log/hostile show "$COMMIT" 2>&1 | tail -15)"
    return 1
  fi
}

# push_and_wait STATUS: pushes HEAD and waits for its job to end with STATUS.
push_and_wait() {
  push_commit && await_final "$1"
}

# expect_recorded FILE VALUE...: FILE holds exactly the VALUEs, each NUL-terminated.
expect_recorded() {
  local file=$1
  shift
  if cmp -s "$file" <(printf '%s\0' "$@"); then
    pass "${file##*/} arrived verbatim"
  else
    fail "${file##*/} differs from what the config says" \
      "expected: $(printf '%s\0' "$@" | tr '\0\n' '|~')" "recorded: $(tr '\0\n' '|~' <"$file" 2>&1)"
  fi
}

# ---------------------------------------------------------------- hostile config values

test_case "metacharacters in dir, env: values and command arguments reach no shell"
manifest_configmap site | write_file "$dev" deploy/config.yaml
printf 'hello\n' | write_file "$dev" deploy/site/index.html
ln -s site/index.html "$dev/deploy/index.html"
# Hostile names in the pushed tree are only names: they deploy verbatim.
for name in 'a;touch pwned_name1' '$(touch pwned_name2)' '`touch pwned_name3`' 'p|pipe & amp' \
  "q\"uote's" 'sp ace' '-rf' '*' $'new\nline'; do
  printf '%s\n' "$name" | write_file "$dev" "deploy/names/$name"
done
commit_all "$dev" "good release"
push_and_wait succeeded
good=$COMMIT
assert_live "$target" "$bare" "$good" deploy
check "the target folder was made with its name verbatim" test -d "$E2E_TMP/target/$weird/app/releases"
others=$(find "$E2E_TMP/target" -mindepth 1 -maxdepth 1 ! -name "$weird")
check "no other folder was made beside it (no word splitting)" test -z "$others"

release=$target/$(readlink "$target/current")
for step in before after health; do
  expected=("$step" "$release")
  # The quotes keep bash 5.2 from reading '&' in the replacement as the match.
  for a in "${hostile_args[@]}"; do expected+=("${a//\{release\}/"$release"}"); done
  expect_recorded "$rec/$step.argv" "${expected[@]}"
  expect_recorded "$rec/$step.env" "${env_values[@]}"
  expect_recorded "$rec/$step.where" "$release" "$release"
done
assert_no_canary

# ---------------------------------------------------------------- hostile tree content

# expect_refused PATH: the last push's job failed saying it refuses PATH, the
# good release is still live, and no release of it is left behind.
expect_refused() {
  local path=$1 log
  log=$(git --git-dir="$bare" notes --ref=deploy-log/hostile show "$COMMIT" 2>&1)
  if grep -qF "refusing to deploy '$path'" <<<"$log" && grep -qF "refusing to deploy" <<<"$RECORD"; then
    pass "the record and the log say it refuses '$path'"
  else
    fail "no clear message naming '$path'" "record: $RECORD" "log: $log"
  fi
  if grep -qF "${good:0:7}" <<<"$RECORD"; then
    pass "the record says ${good:0:7} is still live"
  else
    fail "the record does not say what is live" "$RECORD"
  fi
  assert_live "$target" "$bare" "$good" deploy
  local left
  left=$(find "$target/releases" -mindepth 1 -maxdepth 1 -name "*${COMMIT:0:12}*")
  check "nothing of the refused release is left in releases/" test -z "$left"
}

# assert_nothing_outside: only the release folders changed; nothing was
# written beside the target or anywhere a link could lead.
snapshot() {
  find "$E2E_TMP" -path "$target/releases" -prune -o -path "$E2E_TMP/daemon" -prune -o \
    -path "$E2E_SRV" -prune -o -path "$E2E_WORK" -prune -o -path "$rec" -prune -o -print | sort
}
before_snapshot=$(snapshot)
assert_nothing_outside() {
  local diff
  if diff=$(diff <(echo "$before_snapshot") <(snapshot)); then
    pass "nothing was written outside the release folder"
  else
    fail "files appeared or vanished outside the release folder" "$diff"
  fi
  assert_no_canary
}

test_case "a symlink to ../../etc/passwd is refused"
ln -s ../../etc/passwd "$dev/deploy/passwd"
commit_all "$dev" "relative escape"
push_and_wait failed && expect_refused passwd
if grep -qF "../../etc/passwd" <<<"$RECORD"; then pass "the message names the link's target"; else fail "the message does not name ../../etc/passwd" "$RECORD"; fi
rm "$dev/deploy/passwd"
assert_nothing_outside

test_case "a symlink to an absolute path is refused"
ln -s /etc/passwd "$dev/deploy/site/passwd"
commit_all "$dev" "absolute escape"
push_and_wait failed && expect_refused site/passwd
rm "$dev/deploy/site/passwd"
assert_nothing_outside

test_case "a chain of symlinks, each inside alone, that leads outside is refused"
mkdir -p "$dev/deploy/a"
ln -s .. "$dev/deploy/a/up"
ln -s a/up/.. "$dev/deploy/b"
commit_all "$dev" "chained escape"
push_and_wait failed && expect_refused b
rm -r "$dev/deploy/a" "$dev/deploy/b"
assert_nothing_outside

test_case "an escaping symlink in a folder with a hostile name is refused, named verbatim"
hostile_folder='$(touch pwned_f);x|y&z `w`'
mkdir -p "$dev/deploy/$hostile_folder"
ln -s ../../../../../../../../tmp "$dev/deploy/$hostile_folder/tmp"
commit_all "$dev" "escape in a hostile folder"
push_and_wait failed && expect_refused "$hostile_folder/tmp"
rm -r "${dev:?}/deploy/$hostile_folder"
assert_nothing_outside

test_case "the server repository stays sound"
assert_fsck "$bare"

# ---------------------------------------------------------------- crafted trees
# Trees git itself never writes, made with `git mktree` on top of the good
# release's tree and pushed as they are. `pushgate install` turns on
# receive.fsckObjects, which refuses them at the door (install_trust.sh); it is
# off here so that the deployer's own refusal is tested, as in a repository a
# forge created later without it.
git --git-dir="$bare" config receive.fsckObjects false

# crafted_commit LINES: a commit of main whose deploy/ folder also holds the
# `git mktree` entries LINES; prints its id.
crafted_commit() {
  local deploy top
  deploy=$( (git -C "$dev" ls-tree "$good:deploy"; printf '%s\n' "$1") | git -C "$dev" mktree --missing) || return 1
  top=$(git -C "$dev" ls-tree "$good" | sed -E "s/^(040000 tree )[0-9a-f]+(\tdeploy)\$/\1$deploy\2/" |
    git -C "$dev" mktree --missing) || return 1
  git -C "$dev" commit-tree -p "$(rev "$bare" refs/heads/main)" -m crafted "$top"
}

blob() { printf '%s' "$1" | git -C "$dev" hash-object -w --stdin; }
file_blob=$(blob 'written through a link')
inner=$(printf '100644 blob %s\tpwned_through_link\n' "$file_blob" | git -C "$dev" mktree)

# push_crafted WHAT LINES PATH: pushes a crafted commit; either pushgate's
# own pre-receive turns it away, or the deploy is refused naming PATH.
push_crafted() {
  local commit
  commit=$(crafted_commit "$2") || { fail "cannot craft the tree for $1"; return; }
  git -C "$dev" update-ref refs/crafted "$commit"
  push_commit refs/crafted
  if ((E2E_RC != 0)) && grep -q 'pre-receive hook declined' <<<"$E2E_OUT"; then
    pass "$1: pushgate's pre-receive already rejects it"
  else
    await_final failed && expect_refused "$3"
  fi
  assert_nothing_outside
}

test_case "a crafted tree entry named '..' is refused"
push_crafted "'..'" "$(printf '040000 tree %s\t..' "$inner")" ..

test_case "a crafted symlink leading out, and a folder of the same name, write nothing through the link"
up=$(blob '../../..')
push_crafted "esc twice" "$(printf '120000 blob %s\tesc\n040000 tree %s\tesc' "$up" "$inner")" esc

test_case "a crafted symlink and a folder of the same name are refused"
sideways=$(blob 'site')
push_crafted "side twice" "$(printf '120000 blob %s\tside\n040000 tree %s\tside' "$sideways" "$inner")" side

stop_daemon
check "pushgated stops cleanly on SIGTERM" test "$DAEMON_RC" = 0

finish
