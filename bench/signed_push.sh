#!/usr/bin/env bash
# A push of many commits to a branch that needs signatures (validate.signatures;
# ed25519 signatures are checked in-process with libcrypto, no process per
# commit): the pre-receive hook's wall time, how it grows with the number of
# commits, and the push beside the same push to a repository without hooks, in
# the same run.
#
#   bench/signed_push.sh          (PUSHGATE_BIN=DIR to pick the binaries)
#
# Knobs (environment): COUNTS="50 100 200" commits per push, ROUNDS=3 pushes
# per count (the median is printed). Each commit is signed with an ed25519
# key (git's gpg.format=ssh) and changes one manifest.

# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/common.sh"

COUNTS=${COUNTS:-50 100 200}
ROUNDS=${ROUNDS:-3}
times_file=$bench_tmp/times.txt  # label wall_s cpu_s
hook_file=$bench_tmp/hook.txt    # label elapsed_us peak_rss_kib
work=$bench_tmp/work
command -v ssh-keygen >/dev/null || die "ssh-keygen is needed"
[[ -x /usr/bin/time ]] || die "/usr/bin/time is needed (Debian: time)"

printf '[user]\n\tname = bench\n\temail = bench@example.invalid\n[init]\n\tdefaultBranch = main\n' \
  >"$bench_tmp/gitconfig"
export GIT_CONFIG_GLOBAL=$bench_tmp/gitconfig GIT_CONFIG_NOSYSTEM=1
ssh-keygen -q -t ed25519 -N '' -C bench -f "$bench_tmp/key" </dev/null
sign=(-c gpg.format=ssh -c "user.signingkey=$bench_tmp/key.pub")

for name in plain signed; do
  git init -q --bare -b main "$bench_tmp/$name.git"
  git -C "$bench_tmp/$name.git" config receive.autogc false
done
hooked=$bench_tmp/signed.git
"$bench_bin/pushgate" install "$hooked" >/dev/null
printf 'bench@example.invalid %s\n' "$(cut -d' ' -f1,2 "$bench_tmp/key.pub")" >"$hooked/allowed_signers"
printf 'validate:\n  signatures:\n    - branches: [main]\n      allowed_signers: allowed_signers\n' >"$hooked/pushgate.yaml"
# The installed pre-receive, timed: elapsed and peak RSS of the hook binary.
bench_time_pre_receive "$hooked" "$bench_tmp/label" "$hook_file"

git init -q -b main "$work"
mkdir -p "$work/deploy"
commit_n() {  # N: N signed commits, each changing deploy/app.yaml
  local i
  for ((i = 0; i < $1; i++)); do
    printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  n: "%s"\n' "$RANDOM$i" >"$work/deploy/app.yaml"
    git -C "$work" add -A
    git -C "$work" "${sign[@]}" commit -q -S -m "change $i"
  done
}
push_to() {  # LABEL REPO
  echo "$1" >"$bench_tmp/label"
  python3 "$bench_dir/timed.py" "$times_file" "$1" git -C "$work" push -q "file://$2" main >"$bench_tmp/push.log" 2>&1 ||
    die "the push ($1) was refused: $(cat "$bench_tmp/push.log")"
}
commit_n 1
push_to warmup-plain "$bench_tmp/plain.git"
push_to warmup-signed "$hooked"

bench_machine
for n in $COUNTS; do
  for ((r = 0; r < ROUNDS; r++)); do
    commit_n "$n"
    push_to "plain-$n" "$bench_tmp/plain.git"
    push_to "signed-$n" "$hooked"
  done
done

median() {  # FILE LABEL EXPRESSION: the median of an awk expression ('$2', '$4 + $5') over LABEL's lines
  awk -v l="$2" "\$1 == l {print $3}" "$1" | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'
}
echo
printf '%-8s %12s %14s %12s %10s %14s %12s\n' commits "plain push" "signed push" ratio "hook" "hook/commit" "hook RSS"
# shellcheck disable=SC2016  # the '$2' are awk's fields, not the shell's
for n in $COUNTS; do
  plain=$(median "$times_file" "plain-$n" '$2')
  signed=$(median "$times_file" "signed-$n" '$2')
  hook=$(median "$hook_file" "signed-$n" '$2')
  rss=$(median "$hook_file" "signed-$n" '$3')
  awk -v n="$n" -v p="$plain" -v s="$signed" -v h="$hook" -v m="$rss" \
    'BEGIN {printf "%-8s %11.3fs %13.3fs %11.2fx %8.1fms %12.0fµs %10s KiB\n", n, p, s, s / p, h / 1000, h / n, m}'
done
echo "(median of $ROUNDS pushes each; plain: the same commits to a bare repository without hooks, over file://)"
bench_load
