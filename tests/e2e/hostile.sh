#!/usr/bin/env bash
# Hostile pushes: files built to exhaust a YAML parser. Each must be rejected
# with its own rule, by a hook that stays under 2 s and 100 MB and does not
# crash. The hook is measured with GNU time wrapped around the hook script
# that `pushgate install` wrote.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ -x /usr/bin/time ]] || skip "GNU time is needed to measure the hook (Debian: apt-get install time)"

k_max_seconds=2
k_max_rss_kb=100000

bare=$E2E_SRV/hostile.git
make_bare hostile
mv "$bare/hooks/pre-receive" "$bare/hooks/pre-receive.measured"
measure=$E2E_TMP/hook-usage
cat >"$bare/hooks/pre-receive" <<EOF
#!/bin/sh
exec /usr/bin/time -q -f '%e %M' -o '$measure' '$bare/hooks/pre-receive.measured' "\$@"
EOF
chmod +x "$bare/hooks/pre-receive"

make_clone "file://$bare" dev
dev=$E2E_WORK/dev

# Checks the usage GNU time recorded for the hook of the last push.
check_hook_usage() {
  if [[ ! -s $measure ]]; then
    fail "the hook was not measured (did it run?)" "$E2E_OUT"
    return
  fi
  local usage seconds rss
  usage=$(cat "$measure")
  if grep -q 'terminated by signal' <<<"$usage"; then
    fail "the hook was killed by a signal" "$usage" "$E2E_OUT"
    return
  fi
  read -r seconds rss < <(tail -n 1 <<<"$usage")
  if awk -v s="$seconds" -v max="$k_max_seconds" 'BEGIN { exit !(s < max) }'; then
    pass "the hook took ${seconds} s (< ${k_max_seconds} s)"
  else
    fail "the hook took ${seconds} s, over ${k_max_seconds} s"
  fi
  if ((rss < k_max_rss_kb)); then
    pass "the hook's peak RSS was ${rss} KB (< ${k_max_rss_kb} KB)"
  else
    fail "the hook's peak RSS was ${rss} KB, over ${k_max_rss_kb} KB"
  fi
  rm -f "$measure"
}

test_case "a good push, measured"
manifest_deployment web | write_file "$dev" deploy/web.yaml
commit_all "$dev" "baseline"
expect_push_ok "$dev" origin main
main=$(rev "$dev" HEAD)
assert_ref_equals "$bare" refs/heads/main "$main"
check_hook_usage

# hostile RULE PATH DESCRIPTION: the file at PATH in the clone (already
# written) is pushed on top of main and must be rejected with RULE, quickly,
# in bounded memory and without a crash.
hostile() {
  local rule=$1 path=$2
  test_case "$3"
  commit_all "$dev" "hostile: $3"
  # Forced, so that a hostile commit that wrongly landed does not spoil the next case.
  expect_push_rejected "$rule" -- "$dev" origin +main
  expect_remote_line "^${path//./\\.}(:[0-9]+){0,2}: error: \\[${rule//./\\.}\\]"
  assert_ref_equals "$bare" refs/heads/main "$main"
  check_hook_usage
  if compgen -G "$bare/core*" >/dev/null; then
    fail "a core file was left in $bare" "$(ls -l "$bare")"
    rm -f "$bare"/core*
  fi
  git -C "$dev" reset -q --hard "$main"
}

# Nine levels of nine aliases: 9^9 (387 million) nodes once expanded.
{
  echo 'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'
  prev=a
  for level in b c d e f g h i; do
    echo "$level: &$level [*$prev, *$prev, *$prev, *$prev, *$prev, *$prev, *$prev, *$prev, *$prev]"
    prev=$level
  done
} | write_file "$dev" deploy/laughs.yaml
hostile yaml.aliases deploy/laughs.yaml "billion laughs"

printf '%*s' 100000 '' | tr ' ' '[' | write_file "$dev" deploy/deep.yaml
hostile yaml.depth deploy/deep.yaml "100,000 unclosed flow sequences"

{ printf '%*s' 100000 '' | sed 's/ /- /g'; echo x; } | write_file "$dev" deploy/deep-block.yaml
hostile yaml.depth deploy/deep-block.yaml "100,000 nested block sequences"

yes -- '- lol' | head -c $((50 * 1024 * 1024)) | write_file "$dev" deploy/huge.yaml
hostile yaml.size deploy/huge.yaml "a 50 MB manifest"

{ head -c 32768 /dev/urandom; printf '\0\0\0'; head -c 32768 /dev/urandom; } | write_file "$dev" deploy/blob.yaml
hostile yaml.binary deploy/blob.yaml "random bytes with NULs under a .yaml name"

finish
