#!/usr/bin/env bash
# environments.<env>.allowed_pushers, with real accounts: pgpusher may push
# to staging (as a member of @pgteam) but not to production, which only
# pgpusher2 may change. The gate rejects the push before it lands, and
# pushgated refuses deploy and rollback requests on its socket (SO_PEERCRED)
# and job files (their owner) from anyone else.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/accounts.sh"
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/deploy_lib.sh"

PY=/usr/bin/python3
[[ -x $PY ]] || skip "$PY is needed to talk to the control socket"

trusted_daemon_layout "$E2E_TMP/auth"
BARE=$E2E_SRV/app.git
install -d -o "$E2E_DAEMON_USER" -m 0755 "$T/deploy/prod" "$T/deploy/staging"
shared_repository "$BARE"
as_user "$E2E_OWNER" sh -c "cat >>'$BARE/pushgate.yaml'" <<EOF
environments:
  production:
    branch: main
    deployer: {type: local, dir: $T/deploy/prod}
    allowed_pushers: [$E2E_PUSHER2]
  staging:
    branch: staging
    deployer: {type: local, dir: $T/deploy/staging}
    allowed_pushers: ["@$E2E_GROUP"]
EOF

runuser -u "$E2E_DAEMON_USER" -- sh -c "umask 007; exec '$PUSHGATED' --config '$CFG'" 2>>"$DAEMON_LOG" &
E2E_PIDS+=($!)

for _ in $(seq 200); do
  control "$E2E_PUSHER2" '{"op":"ping"}' 2>/dev/null | grep -q '"ok":true' && break
  sleep 0.05
done
control "$E2E_PUSHER2" '{"op":"ping"}' 2>/dev/null | grep -q '"ok":true' || die "pushgated does not answer" "$(tail "$DAEMON_LOG")"

CLONE=$T/clone
install -d -o "$E2E_PUSHER" -m 0755 "$CLONE"
out=$(as_user "$E2E_PUSHER" git clone -q "file://$BARE" "$CLONE" 2>&1) || die "clone as $E2E_PUSHER" "$out"
as_user "$E2E_PUSHER" sh -c "mkdir -p '$CLONE/deploy' && echo 'name: one' >'$CLONE/deploy/app.yaml' &&
  git -C '$CLONE' add -A && git -C '$CLONE' commit -q -m one" || die "commit as $E2E_PUSHER"
COMMIT=$(as_user "$E2E_PUSHER" git -C "$CLONE" rev-parse HEAD)

test_case "a push to production by a pusher allowed_pushers does not name"
as_user_push "$E2E_PUSHER" "$CLONE" origin main
if ((E2E_RC != 0)) && grep -qF "[push.not-allowed] $E2E_PUSHER may not push to main: environment production allows only $E2E_PUSHER2" <<<"$E2E_OUT"; then
  pass "rejected, naming the environment and who may"
else
  fail "the push was not rejected as not allowed (exit $E2E_RC)" "$E2E_OUT"
fi
assert_ref_missing "$BARE" refs/heads/main

test_case "the same commit to staging, which @$E2E_GROUP may change"
as_user_push "$E2E_PUSHER" "$CLONE" origin HEAD:staging
check "accepted ($E2E_OUT)" test "$E2E_RC" -eq 0
assert_ref_equals "$BARE" refs/heads/staging "$COMMIT"

test_case "the same commit to production by $E2E_PUSHER2"
CLONE2=$T/clone2
install -d -o "$E2E_PUSHER2" -m 0755 "$CLONE2"
out=$(as_user "$E2E_PUSHER2" git clone -q "file://$BARE" "$CLONE2" 2>&1) || die "clone as $E2E_PUSHER2" "$out"
as_user_push "$E2E_PUSHER2" "$CLONE2" origin origin/staging:refs/heads/main
check "accepted ($E2E_OUT)" test "$E2E_RC" -eq 0
assert_ref_equals "$BARE" refs/heads/main "$COMMIT"
wait_for_status "$BARE" production "$COMMIT" succeeded >/dev/null

test_case "deploy and rollback on the socket: refused for $E2E_PUSHER, not for $E2E_PUSHER2"
deploy='{"op":"deploy","repo":"'$BARE'","env":"production","commit":"'$COMMIT'"}'
rollback='{"op":"rollback","repo":"'$BARE'","env":"production"}'
reply=$(control "$E2E_PUSHER" "$deploy")
if grep -q '"ok":false' <<<"$reply" && grep -qF "$E2E_PUSHER may not deploy: environment production allows only $E2E_PUSHER2" <<<"$reply"; then
  pass "deploy refused: $reply"
else
  fail "deploy by $E2E_PUSHER was not refused" "$reply"
fi
reply=$(control "$E2E_PUSHER" "$rollback")
if grep -q '"ok":false' <<<"$reply" && grep -qF "may not roll back" <<<"$reply"; then
  pass "rollback refused"
else
  fail "rollback by $E2E_PUSHER was not refused" "$reply"
fi
reply=$(control "$E2E_PUSHER2" "$deploy")
check "deploy by $E2E_PUSHER2 is queued ($reply)" grep -qE '"job":[0-9]+,"ok":true' <<<"$reply"

test_case "a job file $E2E_PUSHER writes into the spool is refused by pushgated"
as_user "$E2E_PUSHER" sh -c "printf '%s' '{\"id\":910001,\"kind\":\"deploy\",\"repo\":\"$BARE\",\"env\":\"production\",\"commit\":\"$COMMIT\",\"pusher\":\"$E2E_PUSHER2\",\"enqueued_at\":\"2026-01-01T00:00:00Z\"}' >'$SPOOL/tmp/910001.json' && mv '$SPOOL/tmp/910001.json' '$SPOOL/new/910001.json'" ||
  die "writing a job file as $E2E_PUSHER"
done_record=""
for _ in $(seq 300); do
  [[ -f $SPOOL/done/910001.json ]] && { done_record=$(cat "$SPOOL/done/910001.json"); break; }
  sleep 0.05
done
if grep -q '"status":"failed"' <<<"$done_record" && grep -qF "$E2E_PUSHER may not deploy" <<<"$done_record"; then
  pass "failed: $E2E_PUSHER may not deploy"
else
  fail "the forged job was not refused" "$done_record" "$(tail -5 "$DAEMON_LOG")"
fi

finish
