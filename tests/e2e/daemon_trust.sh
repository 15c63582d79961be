#!/usr/bin/env bash
# pushgated trusts nothing a pusher or a local account can write: a job file
# says only "look at this repository and environment". Real accounts: the
# repository belongs to pggit (group pgteam, shared), pushgated runs as
# pgdaemon, pgpusher and pgpusher2 push over file://, pgoutsider is in no
# group of pushgate's. Each case is an attack that worked before.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/accounts.sh"
source "$(dirname "$0")/deploy_lib.sh"
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/servers.sh"

PY=/usr/bin/python3
[[ -x $PY ]] || skip "$PY is needed to talk to the control socket"

# ---------------------------------------------------------------- set-up

trusted_daemon_layout "$E2E_TMP/trust"
DEPLOY=$T/deploy/app
PWNED=$T/pwned
BARE=$E2E_SRV/app.git
install -d -o "$E2E_DAEMON_USER" -m 0755 "$DEPLOY" "$T/deploy/slow"
shared_repository "$BARE"
as_user "$E2E_OWNER" sh -c "cat >>'$BARE/pushgate.yaml'" <<EOF
environments:
  production:
    branch: main
    path: deploy/prod
    deployer: {type: local, dir: $DEPLOY, keep_releases: 20}
  slow:
    branch: slow
    deployer: {type: local, dir: $T/deploy/slow}
    health: {command: [sleep, "3"], timeout: 10s}
EOF

# pushgated as pgdaemon. umask 007: what it writes into the shared
# repository stays writable for the group's later pushes.
start_trusted_daemon() {
  runuser -u "$E2E_DAEMON_USER" -- sh -c "umask 007; exec '$PUSHGATED' --config '$CFG'" 2>>"$DAEMON_LOG" &
  RUNUSER_PID=$!
  E2E_PIDS+=("$RUNUSER_PID")
  for _ in $(seq 200); do
    # Signals go to pushgated itself, not to runuser in front of it.
    DAEMON_PID=$(pgrep -P "$RUNUSER_PID" -x pushgated)
    [[ -n $DAEMON_PID && -S $SOCK ]] && ping_as root >/dev/null 2>&1 && return 0
    kill -0 "$RUNUSER_PID" 2>/dev/null || die "pushgated exited at start" "$(tail -20 "$DAEMON_LOG")"
    sleep 0.05
  done
  die "pushgated does not answer" "$(tail -20 "$DAEMON_LOG")"
}

ping_as() { control "$1" '{"op":"ping"}'; }

# forge_job ID JSON-FIELDS: pgpusher writes a job file straight into the spool.
forge_job() {
  local id=$1 fields=$2
  as_user "$E2E_PUSHER" sh -c "printf '%s' '{\"id\":$id,$fields,\"enqueued_at\":\"2026-01-01T00:00:00Z\"}' \
    >'$SPOOL/tmp/$id.json' && mv '$SPOOL/tmp/$id.json' '$SPOOL/new/$id.json'"
}

# wait_done ID: waits (15 s) for job ID to be finished; prints its done/ record.
wait_done() {
  for _ in $(seq 300); do
    [[ -f $SPOOL/done/$1.json ]] && { cat "$SPOOL/done/$1.json"; return 0; }
    sleep 0.05
  done
  return 1
}

# wait_live COMMIT: waits (15 s) until the deploy folder's release is COMMIT.
wait_live() {
  for _ in $(seq 300); do
    [[ $(live_commit "$DEPLOY") == "${1:0:12}" ]] && return 0
    sleep 0.05
  done
  return 1
}

push_prod() {  # push_prod CONTENT [git push args...]: commit deploy/prod/web.yaml and push as pgpusher
  local content=$1
  shift
  as_user "$E2E_PUSHER" sh -c "mkdir -p '$CLONE/deploy/prod' && printf 'name: %s\n' '$content' >'$CLONE/deploy/prod/web.yaml' &&
    git -C '$CLONE' add -A && git -C '$CLONE' commit -q -m '$content'" || die "commit $content"
  as_user_push "$E2E_PUSHER" "$CLONE" "$@" origin main
  HEAD_COMMIT=$(git --git-dir="$BARE" rev-parse refs/heads/main)
}

# stop_trusted_daemon: SIGTERM; DAEMON_RC is pushgated's exit status.
stop_trusted_daemon() {
  kill -TERM "$DAEMON_PID"
  wait "$RUNUSER_PID"
  DAEMON_RC=$?
}

CLONE=$T/clone
install -d -o "$E2E_PUSHER" -m 0755 "$CLONE"
out=$(as_user "$E2E_PUSHER" git clone -q "file://$BARE" "$CLONE" 2>&1) || die "clone as $E2E_PUSHER" "$out"
start_trusted_daemon

# ---------------------------------------------------------------- identity

# expect_deployed_by_pusher COMMIT: COMMIT is deployed, recorded as
# E2E_PUSHER's, never as "anyone" (what the push claimed).
expect_deployed_by_pusher() {
  if wait_for_status "$BARE" production "$1" succeeded >/dev/null; then
    note=$(deploy_note "$BARE" production "$1")
    if grep -q " pusher=$E2E_PUSHER " <<<"$note" && ! grep -q "pusher=anyone" <<<"$note"; then
      pass "the record says pusher=$E2E_PUSHER"
    else
      fail "the record does not say pusher=$E2E_PUSHER" "$note"
    fi
  else
    fail "the push was not deployed" "$E2E_OUT" "$(tail -20 "$DAEMON_LOG")"
  fi
}

test_case "the pusher in the notes is the account that pushed, whatever GL_USER says"
E2E_OUT=$(as_user "$E2E_PUSHER" sh -c "mkdir -p '$CLONE/deploy/prod' && echo 'name: one' >'$CLONE/deploy/prod/web.yaml' &&
  git -C '$CLONE' add -A && git -C '$CLONE' commit -q -m one &&
  GL_USER=anyone REMOTE_USER=anyone timeout 60 git -C '$CLONE' push -o pushgate.wait origin main" 2>&1)
C1=$(git --git-dir="$BARE" rev-parse refs/heads/main)
expect_deployed_by_pusher "$C1"

test_case "over ssh:// the pusher is the account sshd logged in, whatever --receive-pack sets"
if [[ -x /usr/sbin/sshd ]]; then
  LOOPBACK_SSHD_USERS=$E2E_PUSHER start_sshd
  git config --global --add safe.directory '*'  # root's clone below
  make_clone "ssh://$E2E_PUSHER@127.0.0.1:${SSH_URL##*:}$BARE" over-ssh
  echo 'name: over-ssh' | write_file "$E2E_WORK/over-ssh" deploy/prod/web.yaml
  commit_all "$E2E_WORK/over-ssh" "over ssh"
  expect_push_ok "$E2E_WORK/over-ssh" --receive-pack='env GL_USER=anyone REMOTE_USER=anyone git-receive-pack' origin main
  expect_deployed_by_pusher "$(rev "$E2E_WORK/over-ssh" HEAD)"
  as_user "$E2E_PUSHER" git -C "$CLONE" pull -q --rebase origin main >/dev/null 2>&1
else
  echo "note: no sshd here; the ssh:// case is not run"
fi

test_case "a forged job file cannot name the pusher"
forge_job 900001 "\"kind\":\"push\",\"repo\":\"$BARE\",\"env\":\"production\",\"ref\":\"refs/heads/main\",\"commit\":\"$C1\",\"pusher\":\"alice\""
if done=$(wait_done 900001); then
  note=$(deploy_note "$BARE" production "$C1" | grep " job=900001 ")
  if grep -q " pusher=$E2E_PUSHER" <<<"$note" && ! grep -q "pusher=alice" <<<"$note"; then
    pass "the forged job is recorded as $E2E_PUSHER's"
  else
    fail "the forged job's record believes the file" "$note" "$done"
  fi
else
  fail "the forged job never finished" "$(tail -20 "$DAEMON_LOG")"
fi

test_case "the control socket takes who asks from the kernel, not from a pusher field"
reply=$(control "$E2E_PUSHER" "{\"op\":\"deploy\",\"repo\":\"$BARE\",\"env\":\"production\",\"commit\":\"$C1\",\"pusher\":\"alice\"}")
job=$(sed -nE 's/.*"job":([0-9]+).*/\1/p' <<<"$reply")
if [[ -n $job ]] && wait_for_final "$BARE" production "$C1" "$job" 15; then
  record=$(final_records "$BARE" production "$C1" "$job")
  if grep -q " pusher=$E2E_PUSHER" <<<"$record"; then pass "the deploy is recorded as $E2E_PUSHER's"; else fail "the record believes the field" "$record"; fi
else
  fail "the deploy request was not run" "$reply" "$(tail -10 "$DAEMON_LOG")"
fi

# ---------------------------------------------------------------- re-derivation

test_case "a forged job for a repository pushgated.yaml does not name runs nothing"
EVIL=$T/evil.git
install -d -o "$E2E_PUSHER" -m 0755 "$EVIL"
as_user "$E2E_PUSHER" sh -c "git init -q --bare '$EVIL' &&
  printf 'environments:\n  production:\n    branch: main\n    deployer: {type: command, run: [touch, $PWNED]}\n' >'$EVIL/pushgate.yaml' &&
  tree=\$(git --git-dir='$EVIL' mktree </dev/null) && c=\$(git --git-dir='$EVIL' commit-tree \$tree -m x) &&
  git --git-dir='$EVIL' update-ref refs/heads/main \$c" || die "making $EVIL"
evil_commit=$(git --git-dir="$EVIL" rev-parse refs/heads/main)
forge_job 900002 "\"kind\":\"push\",\"repo\":\"$EVIL\",\"env\":\"production\",\"ref\":\"refs/heads/main\",\"commit\":\"$evil_commit\",\"pusher\":\"x\""
if done=$(wait_done 900002); then
  check "its command did not run" test ! -e "$PWNED"
  if grep -q '"status":"failed"' <<<"$done" && grep -q "add it to repositories: in pushgated.yaml" <<<"$done" &&
    grep -q "$EVIL" <<<"$done"; then
    pass "the job failed, naming the repository and the fix"
  else
    fail "the job did not fail as it should" "$done"
  fi
else
  fail "the forged job never finished" "$(tail -20 "$DAEMON_LOG")"
fi
sleep 0.3
check "the command did not run later either" test ! -e "$PWNED"

test_case "a forged job naming a commit on no branch deploys nothing of it"
# pgpusher can write objects into the shared repository without pushing.
forged=$(as_user "$E2E_PUSHER" sh -c "cd '$CLONE' && blob=\$(printf 'name: forged\n' | git --git-dir='$BARE' hash-object -w --stdin) &&
  GIT_INDEX_FILE='$CLONE/.git/forged.idx' git --git-dir='$BARE' update-index --add --cacheinfo 100644,\$blob,deploy/prod/web.yaml &&
  tree=\$(GIT_INDEX_FILE='$CLONE/.git/forged.idx' git --git-dir='$BARE' write-tree) &&
  git --git-dir='$BARE' commit-tree \$tree -p '$C1' -m forged") || die "making a forged commit" "$forged"
forge_job 900003 "\"kind\":\"push\",\"repo\":\"$BARE\",\"env\":\"production\",\"ref\":\"refs/heads/main\",\"commit\":\"$forged\",\"pusher\":\"x\""
if done=$(wait_done 900003); then
  check "the live release is still the branch tip" test "$(live_commit "$DEPLOY")" = "${C1:0:12}"
  if grep -rq forged "$DEPLOY/current/" 2>/dev/null || ls "$DEPLOY/releases" | grep -q "${forged:0:12}"; then
    fail "the forged commit was deployed" "$(ls "$DEPLOY/releases")"
  else
    pass "no release of the forged commit was made"
  fi
  check "no note was written on the forged commit" test -z "$(deploy_note "$BARE" production "$forged")"
  grep -q '"status":"superseded"' <<<"$done" && pass "the job is superseded" || fail "the job is not superseded" "$done"
else
  fail "the forged job never finished" "$(tail -20 "$DAEMON_LOG")"
fi

test_case "pushgate deploy REV refuses a name that is both a branch and a tag"
git --git-dir="$BARE" tag main "$C1"
out=$("$PUSHGATE_BIN_DIR/pushgate" deploy "$BARE" production main --daemon-config "$CFG" 2>&1)
rc=$?
if ((rc == 2)) && grep -q "ambiguous" <<<"$out" && grep -q "refs/heads/main" <<<"$out" && grep -q "refs/tags/main" <<<"$out"; then
  pass "refused (exit 2), naming refs/heads/main and refs/tags/main"
else
  fail "pushgate deploy of an ambiguous name: exit $rc" "$out"
fi
git --git-dir="$BARE" tag -d main >/dev/null

# ---------------------------------------------------------------- control socket

test_case "the control socket keeps other accounts out and one account from locking out the others"
if out=$(ping_as "$E2E_OUTSIDER" 2>&1); then fail "$E2E_OUTSIDER could talk to pushgated" "$out"; else pass "$E2E_OUTSIDER cannot connect"; fi
# pgpusher opens 70 connections that say nothing, more than the daemon's 64 threads.
runuser -u "$E2E_PUSHER" -- "$PY" -c '
import socket, sys, time
conns = []
for _ in range(70):
    s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); conns.append(s)
time.sleep(2.5)
' "$SOCK" &
hog=$!
sleep 0.7
if out=$(ping_as "$E2E_PUSHER2" 2>&1) && grep -q '"ok":true' <<<"$out"; then
  pass "$E2E_PUSHER2 is served while $E2E_PUSHER holds 70 idle connections"
else
  fail "$E2E_PUSHER2 is locked out by $E2E_PUSHER's connections" "$out"
fi
wait "$hog"
# A connection that sends nothing is dropped within seconds.
start=$(date +%s%N)
runuser -u "$E2E_PUSHER" -- "$PY" -c '
import socket, sys
s = socket.socket(socket.AF_UNIX); s.settimeout(20); s.connect(sys.argv[1]); s.recv(1)
' "$SOCK"
elapsed=$((($(date +%s%N) - start) / 1000000))
check "an idle connection is closed by the daemon within 5 s (${elapsed} ms)" test "$elapsed" -lt 5000

test_case "the control socket answers nothing about a repository pushgated does not serve"
reply=$(control "$E2E_PUSHER" "{\"op\":\"status\",\"repo\":\"$EVIL\"}" "{\"op\":\"deploy\",\"repo\":\"$EVIL\",\"env\":\"production\",\"commit\":\"$evil_commit\"}")
if [[ $(grep -c '"ok":false' <<<"$reply") == 2 ]] && grep -q "does not serve" <<<"$reply"; then
  pass "status and deploy are refused"
else
  fail "pushgated answered about $EVIL" "$reply"
fi

test_case "a follow names the spool: a job number of another spool is an error"
reply=$(control "$E2E_PUSHER" '{"op":"follow","spool":"0000","job":900001}')
if grep -q '"ok":false' <<<"$reply" && grep -q "another spool" <<<"$reply" && ! grep -q '"line"' <<<"$reply"; then
  pass "refused, naming the spool"
else
  fail "a follow of another spool's job streamed something" "$reply"
fi

# ---------------------------------------------------------------- records

test_case "a deploy whose note cannot be written is 'record pending', then recorded, and never redeployed"
# The daemon cannot lock refs/notes/deploy/production any more.
notes_dir=$BARE/refs/notes/deploy
git --git-dir="$BARE" pack-refs --all
mkdir -p "$notes_dir"
chown root:root "$notes_dir"
chmod 0755 "$notes_dir"
start=$(date +%s)
push_prod two -o pushgate.wait
C2=$HEAD_COMMIT
took=$(($(date +%s) - start))
if wait_live "$C2"; then pass "${C2:0:7} is live"; else fail "${C2:0:7} was not deployed" "$E2E_OUT" "$(tail -10 "$DAEMON_LOG")"; fi
check "the waiting push was told within seconds (${took} s)" test "$took" -lt 12
expect_remote_line "record pending"
status=$("$PUSHGATE_BIN_DIR/pushgate" status "$BARE" --daemon-config "$CFG" 2>&1)
if grep -q "record pending: job" <<<"$status" && ! grep -q "running: job" <<<"$status"; then
  pass "pushgate status says record pending, not running"
else
  fail "pushgate status does not say record pending" "$status"
fi
push_prod three
C3=$HEAD_COMMIT
wait_live "$C3" && pass "the next push ${C3:0:7} is deployed meanwhile" || fail "${C3:0:7} was not deployed" "$E2E_OUT"
releases_before=$(ls "$DEPLOY/releases" | sort)
stop_trusted_daemon
chown "$E2E_DAEMON_USER:$E2E_GROUP" "$notes_dir"
chmod 2775 "$notes_dir"
start_trusted_daemon
wait_for_status "$BARE" production "$C2" succeeded
wait_for_status "$BARE" production "$C3" succeeded
check "the restart made no release (nothing older deployed again)" \
  test "$(ls "$DEPLOY/releases" | sort)" = "$releases_before"
check "${C3:0:7} is still live" test "$(live_commit "$DEPLOY")" = "${C3:0:12}"
status=$("$PUSHGATE_BIN_DIR/pushgate" status "$BARE" production --daemon-config "$CFG" 2>&1)
grep -q "live:    ${C3:0:12}" <<<"$status" && pass "pushgate status shows ${C3:0:7} live" || fail "status" "$status"

test_case "a pending record is written as soon as the notes are writable again"
chown root:root "$notes_dir"
chmod 0755 "$notes_dir"
push_prod four
C4=$HEAD_COMMIT
wait_live "$C4" || fail "${C4:0:7} was not deployed" "$E2E_OUT"
# Longer than a few quick retries: the daemon must keep trying, not give up.
sleep 3
check "no record yet" test -z "$(deploy_note "$BARE" production "$C4" | grep ' status=succeeded ')"
chown "$E2E_DAEMON_USER:$E2E_GROUP" "$notes_dir"
chmod 2775 "$notes_dir"
wait_for_status "$BARE" production "$C4" succeeded

# ---------------------------------------------------------------- wedged daemon

test_case "-o pushgate.wait against a stopped daemon returns within seconds, saying so"
kill -STOP "$DAEMON_PID"
start=$(date +%s)
push_prod five -o pushgate.wait
took=$(($(date +%s) - start))
# runuser stops itself when its child stops: continue both.
kill -CONT "$DAEMON_PID" "$RUNUSER_PID"
check "the push returned in ${took} s" test "$took" -lt 8
expect_remote_line "pushgated does not answer"
wait_live "$HEAD_COMMIT" && pass "the job runs once the daemon continues" || fail "not deployed after SIGCONT"

test_case "a follower notices within seconds when pushgated stops answering mid-deploy"
as_user "$E2E_PUSHER" git -C "$CLONE" push -q origin main:slow >/dev/null 2>&1
for _ in $(seq 100); do spool_idle && break; sleep 0.05; done
as_user "$E2E_PUSHER" sh -c "echo slow >'$CLONE/slow.txt' && git -C '$CLONE' add -A && git -C '$CLONE' commit -q -m slow" ||
  die "commit slow"
as_user "$E2E_PUSHER" timeout 60 git -C "$CLONE" push -o pushgate.wait origin HEAD:slow >"$T/slow.out" 2>&1 &
slow_push=$!
for _ in $(seq 200); do grep -q "deploying" "$T/slow.out" && break; sleep 0.05; done
kill -STOP "$DAEMON_PID"
start=$(date +%s)
wait "$slow_push"
took=$(($(date +%s) - start))
kill -CONT "$DAEMON_PID" "$RUNUSER_PID"
check "the waiting push gave up ${took} s after the daemon stopped" test "$took" -le 8
if grep -q "stopped answering" "$T/slow.out"; then pass "it says pushgated stopped answering"; else
  fail "it does not say pushgated stopped answering" "$(cat "$T/slow.out")"; fi
for _ in $(seq 200); do spool_idle && break; sleep 0.05; done

# ---------------------------------------------------------------- spool changes

test_case "SIGHUP with a new spool is refused; hooks keep queueing where pushgated reads"
sed -i "s|^spool: .*|spool: $T/spool2|" "$CFG"
kill -HUP "$DAEMON_PID"
sleep 0.3
grep -q "SIGHUP: refusing the new settings" "$DAEMON_LOG" && pass "pushgated logs the refusal" ||
  fail "no refusal logged" "$(tail -5 "$DAEMON_LOG")"
push_prod six
expect_remote_line "restart pushgated to use the new spool"
wait_live "$HEAD_COMMIT" && pass "the push is deployed by the running daemon" || fail "the push was lost" "$E2E_OUT"

test_case "pushgated refuses a socket folder others may write"
stop_trusted_daemon
check "pushgated stopped cleanly" test "$DAEMON_RC" = 0
sed -i "s|^spool: .*|spool: $SPOOL|" "$CFG"
chmod 2770 "$RUN"
out=$(timeout 5 runuser -u "$E2E_DAEMON_USER" -- "$PUSHGATED" --config "$CFG" 2>&1)
rc=$?
if ((rc == 2)) && grep -q "chmod go-w" <<<"$out"; then pass "exit 2, naming the fix"; else fail "pushgated started: exit $rc" "$out"; fi

finish
