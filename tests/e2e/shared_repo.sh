#!/usr/bin/env bash
# A group-shared repository (`git init --bare --shared=group`, the
# multi-pusher set-up) stays writable for every member of the group after the
# daemon, running as its own account in that group, has written deploy notes
# into it: pushers push many times, each time with objects spread over the
# object folders, and no push fails ("unable to write file
# ./objects/xx/...: Permission denied"). Every folder pushgate made in the
# repository (objects, refs/notes, the hook's tree indexes) is group-writable.
# A member who pushes past the hooks (the git directory is theirs to write)
# gets nothing deployed: pushgated checks such a repository's commits itself.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/deploy_lib.sh"
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/accounts.sh"

# ---------------------------------------------------------------- set-up

# The daemon runs as its own account with the usual umask, which libgit2
# follows when it makes a folder.
umask 022
# setpriv execs pushgated itself, so DAEMON_PID is the daemon's own (runuser
# would stay in between and keep the signals to itself).
launch_daemon() {
  setpriv --reuid "$E2E_DAEMON_USER" --regid "$E2E_DAEMON_USER" --init-groups \
    env HOME="$E2E_TMP/home-$E2E_DAEMON_USER" "$PUSHGATED" --config "$DAEMON_CFG" 2>>"$DAEMON_LOG" &
  DAEMON_PID=$!
  E2E_PIDS+=("$DAEMON_PID")
}
# The hooks (as each pusher), the daemon and `pushgate status` (root, here)
# open a repository of another account; this libgit2 wants it named in
# safe.directory ('*' is newer). Root also reads the pushers' clones.
git config --global --add safe.directory '*'
for user in "$E2E_DAEMON_USER" "$E2E_PUSHER" "$E2E_PUSHER2" root; do
  [[ $user == root ]] && home=$HOME || { as_user "$user" true; home=$E2E_TMP/home-$user; }
  HOME=$home git config --global --add safe.directory "$E2E_SRV/app.git"
done

target=$E2E_TMP/target
mkdir -p "$target"
chown "$E2E_DAEMON_USER" "$target"
# The daemon's folder; its spool (made 2770 by pushgated) is where the pushers' hooks queue jobs.
chown "$E2E_DAEMON_USER:$E2E_GROUP" "$DAEMON_DIR"
chmod 2750 "$DAEMON_DIR"  # the socket's folder: the group may reach it, not replace it

write_daemon_config 1 30s
bare=$E2E_SRV/app.git

out=$(git init -q --bare --shared=group "$bare" 2>&1) || die "git init --shared=group" "$out"
out=$(pushgate install "$bare" --daemon-config "$DAEMON_CFG" 2>&1) || die "pushgate install" "$out"
DEPLOY_PROBE_REPO=$bare
cat >"$bare/pushgate.yaml" <<EOF
environments:
  production:
    branch: main
    path: deploy/prod
    deployer: {type: local, dir: $target/app}
EOF
chown -R "$E2E_OWNER:$E2E_GROUP" "$bare"
chmod 0644 "$bare/pushgate.yaml"
chmod go-w "$bare/hooks"

# clone_as USER NAME: a clone of the repository that USER owns.
clone_as() {
  mkdir -p "$E2E_WORK/$2" && chown "$1" "$E2E_WORK/$2"
  out=$(as_user "$1" git clone -q "file://$bare" "$E2E_WORK/$2" 2>&1) || die "git clone as $1" "$out"
}
clone_as "$E2E_PUSHER" p1
clone_as "$E2E_PUSHER2" p2

# push_release USER CLONE N: USER commits a valid manifest and 12 files of
# random content (fresh objects over many object folders), pushes, and waits
# for the deploy, so the daemon's note writes come between the pushes.
PUSH_FAILURES=0
push_release() {
  local user=$1 clone=$E2E_WORK/$2 n=$3 i job commit
  as_user "$user" sh -c "
    mkdir -p '$clone/deploy/prod/data' &&
    cat >'$clone/deploy/prod/web.yaml' &&
    for i in \$(seq 12); do head -c 64 /dev/urandom | od -An -tx1 >'$clone/deploy/prod/data/f'\$i; done &&
    git -C '$clone' add -A && git -C '$clone' commit -q -m 'release $n'" < <(manifest_deployment web) ||
    die "commit as $user"
  commit=$(git -C "$clone" rev-parse HEAD)
  as_user_push "$user" "$clone" origin main
  if ((E2E_RC != 0)); then
    PUSH_FAILURES=$((PUSH_FAILURES + 1))
    fail "push $n by $user fails" "$E2E_OUT"
    return
  fi
  job=$(queued_jobs | sed -n 's/^production //p' | head -n 1)
  wait_for_final "$bare" production "$commit" "${job:-0}" 15
  [[ $FINAL_STATUS == succeeded ]] ||
    fail "release $n is not deployed (status '$FINAL_STATUS')" "$(tail -5 "$DAEMON_LOG")"
}

start_daemon

# ---------------------------------------------------------------- scenarios

test_case "20 pushes by two members of the group, with deploy notes written in between"
for n in $(seq 20); do
  if ((n % 2)); then push_release "$E2E_PUSHER" p1 "$n"; else push_release "$E2E_PUSHER2" p2 "$n"; fi
  # Each pusher pulls the other's release before pushing on top.
  as_user "$E2E_PUSHER" git -C "$E2E_WORK/p1" pull -q --rebase origin main >/dev/null 2>&1
  as_user "$E2E_PUSHER2" git -C "$E2E_WORK/p2" pull -q --rebase origin main >/dev/null 2>&1
done
check "no push failed ($PUSH_FAILURES failed)" test "$PUSH_FAILURES" = 0
notes=$(git --git-dir="$bare" notes --ref=deploy/production list | wc -l)
check "the daemon recorded deploys in notes ($notes notes)" test "$notes" -ge 15

test_case "every folder in the repository is group-writable"
for part in objects refs pushgate; do
  bad=$(find "$bare/$part" -type d ! -perm -g+w 2>&1)
  check "no folder under $part/ lacks group write" test -z "$bad"
  [[ -z $bad ]] || ls -ld $bad | head -5 | sed 's/^/    /'
done
bad=$(find "$bare/refs" -type f ! -perm -g+w 2>&1)
check "no ref file lacks group write" test -z "$bad"
owned=$(find "$bare" -user "$E2E_DAEMON_USER" | wc -l)
check "the daemon did write into the repository ($owned entries)" test "$owned" -gt 0
assert_fsck "$bare"

test_case "a member who pushes past the hooks gets nothing deployed"
# The git directory and its config stay group-writable in a shared
# repository, so a member can point core.hooksPath at an empty folder for one
# push, then queue a deploy by running post-receive by hand: pushgated checks
# the branch tip itself before deploying it.
live_before=$(readlink "$target/app/current")
mkdir -p "$E2E_TMP/nohooks" && chmod 0755 "$E2E_TMP/nohooks"
as_user "$E2E_PUSHER" git -C "$E2E_WORK/p1" pull -q --rebase origin main >/dev/null 2>&1
as_user "$E2E_PUSHER" sh -c "
  printf 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: Bad_Name}\n' >'$E2E_WORK/p1/deploy/prod/bad.yaml' &&
  git -C '$E2E_WORK/p1' add -A && git -C '$E2E_WORK/p1' commit -q -m 'past the gate' &&
  git --git-dir='$bare' config core.hooksPath '$E2E_TMP/nohooks'" || die "set-up of the bypass as $E2E_PUSHER"
old_tip=$(git --git-dir="$bare" rev-parse main)
as_user_push "$E2E_PUSHER" "$E2E_WORK/p1" origin main
as_user "$E2E_PUSHER" git --git-dir="$bare" config --unset core.hooksPath
bad_commit=$(git -C "$E2E_WORK/p1" rev-parse HEAD)
check "the push past the hooks landed (git ran no hook)" test "$(git --git-dir="$bare" rev-parse main)" = "$bad_commit"
E2E_OUT=$(printf '%s %s refs/heads/main\n' "$old_tip" "$bad_commit" |
  as_user "$E2E_PUSHER" env GIT_DIR="$bare" "$PUSHGATE_BIN_DIR/pushgate-post-receive" --daemon-config "$DAEMON_CFG" 2>&1 |
  sed 's/^/remote: /')
job=$(queued_jobs | sed -n 's/^production //p' | head -n 1)
check "post-receive run by hand queued a deploy (job ${job:-none})" test -n "$job"
wait_for_final "$bare" production "$bad_commit" "${job:-0}" 15
check "the deploy is refused (status '$FINAL_STATUS')" test "$FINAL_STATUS" = failed
expect_note_says "$bare" production "$bad_commit" "did not come through the gate"
check "the release that was live stays live" test "$(readlink "$target/app/current")" = "$live_before"

stop_daemon
finish
