#!/usr/bin/env bash
# Pushes over file:// and to a plain path: what a push carries (branches
# created and deleted, tags, atomic pushes, several commits, push options),
# each class of bad manifest, forged deploy notes, and a broken pushgate.yaml
# on the server.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

make_bare app
transport_basics "$E2E_SRV/app.git" "file://$E2E_SRV/app.git" file://
make_bare plain
transport_basics "$E2E_SRV/plain.git" "$E2E_SRV/plain.git" "plain path"

bare=$E2E_SRV/gate.git
make_bare gate
make_clone "file://$bare" dev
dev=$E2E_WORK/dev

# Brings the clone back to what the server has on main, dropping local work.
reset_to_server() {
  if ! { git -C "$dev" checkout -q main && git -C "$dev" fetch -q origin &&
    git -C "$dev" reset -q --hard origin/main && git -C "$dev" clean -qfd; }; then
    die "cannot reset $dev to origin/main"
  fi
}

# push_main_ok [git-push options...]: pushing main from the clone is accepted
# and lands. `main` then follows the server, so that one wrong verdict does
# not spoil the checks after it.
push_main_ok() {
  expect_push_ok "$dev" "$@" origin main
  assert_ref_equals "$bare" refs/heads/main "$(rev "$dev" HEAD)"
  main=$(rev "$bare" refs/heads/main)
}

# pre-receive saves a tree's index after it has answered, from a child that
# git does not wait for: gives it up to five seconds to appear.
index_saved() {
  local i
  for ((i = 0; i < 100; i++)); do
    [[ -n $(ls "$bare/pushgate/trees" 2>/dev/null) ]] && return 0
    sleep 0.05
  done
  return 1
}

test_case "first push creates main"
manifest_deployment web | write_file "$dev" deploy/web.yaml
manifest_configmap web-config | write_file "$dev" deploy/config.yaml
commit_all "$dev" "baseline"
push_main_ok

test_case "a new branch with good manifests is accepted"
git -C "$dev" checkout -q -b feature
manifest_deployment worker | write_file "$dev" deploy/worker.yaml
commit_all "$dev" "add worker"
expect_push_ok "$dev" origin feature
assert_ref_equals "$bare" refs/heads/feature "$(rev "$dev" feature)"

test_case "a new branch with a bad manifest is rejected"
git -C "$dev" checkout -q -b broken main
manifest_deployment Bad_Worker | write_file "$dev" deploy/worker.yaml
commit_all "$dev" "add a badly named worker"
expect_push_rejected k8s.name -- "$dev" origin broken
expect_remote_line '^deploy/worker\.yaml:4:[0-9]+: error: \[k8s\.name\]'
assert_ref_missing "$bare" refs/heads/broken

test_case "deleting a branch is accepted"
expect_push_ok "$dev" origin --delete feature
assert_ref_missing "$bare" refs/heads/feature
assert_ref_equals "$bare" refs/heads/main "$main"

test_case "tags are accepted"
git -C "$dev" tag v1 main
git -C "$dev" tag -a -m "release 2" v2 main
expect_push_ok "$dev" origin v1 v2
assert_ref_equals "$bare" refs/tags/v1 "$main"
assert_ref_equals "$bare" refs/tags/v2 "$(rev "$dev" refs/tags/v2)"

test_case "an atomic push of a good and a bad branch lands nothing"
reset_to_server
git -C "$dev" checkout -q -b atomic-good main
manifest_configmap extra | write_file "$dev" deploy/extra.yaml
commit_all "$dev" "good"
git -C "$dev" checkout -q -b atomic-bad main
sed 's/^    app.kubernetes.io\/name: web$/    "bad key!": web/' "$dev/deploy/web.yaml" >"$dev/deploy/web.yaml.new"
mv "$dev/deploy/web.yaml.new" "$dev/deploy/web.yaml"
commit_all "$dev" "bad label"
expect_push_rejected k8s.labels -- "$dev" --atomic origin atomic-good atomic-bad
assert_ref_missing "$bare" refs/heads/atomic-good
assert_ref_missing "$bare" refs/heads/atomic-bad

test_case "deploy notes cannot be pushed"
reset_to_server
git -C "$dev" notes --ref=deploy/x add -m "2030-01-01T00:00:00Z env=x status=succeeded" main
git -C "$dev" notes --ref=deploy-log/x add -m "forged log" main
expect_push_rejected refs/notes/deploy -- "$dev" origin refs/notes/deploy/x
assert_ref_missing "$bare" refs/notes/deploy/x
expect_push_rejected refs/notes/deploy -- "$dev" origin refs/notes/deploy-log/x
assert_ref_missing "$bare" refs/notes/deploy-log/x

test_case "a forged deploy note sinks the good branch pushed with it"
manifest_configmap notes-companion | write_file "$dev" deploy/companion.yaml
commit_all "$dev" "good change pushed with a forged note"
expect_push_rejected refs/notes/deploy -- "$dev" origin main refs/notes/deploy/x
assert_ref_equals "$bare" refs/heads/main "$main"
assert_ref_missing "$bare" refs/notes/deploy/x

test_case "ordinary notes can be pushed"
reset_to_server
git -C "$dev" notes add -m "reviewed" main
expect_push_ok "$dev" origin refs/notes/commits
assert_ref_equals "$bare" refs/notes/commits "$(rev "$dev" refs/notes/commits)"

test_case "only the final state of a multi-commit push matters"
manifest_deployment Tmp_Bad | write_file "$dev" deploy/tmp.yaml
commit_all "$dev" "bad name"
manifest_deployment tmp | write_file "$dev" deploy/tmp.yaml
commit_all "$dev" "fix the name"
printf 'kind: [unclosed\n' | write_file "$dev" deploy/junk.yaml
commit_all "$dev" "broken file"
git -C "$dev" rm -q deploy/junk.yaml
commit_all "$dev" "drop the broken file"
push_main_ok

test_case "the last commit of a push decides even when earlier ones were good"
manifest_configmap fine | write_file "$dev" deploy/fine.yaml
commit_all "$dev" "good"
manifest_configmap Not_Fine | write_file "$dev" deploy/fine.yaml
commit_all "$dev" "bad"
expect_push_rejected k8s.name -- "$dev" origin main
assert_ref_equals "$bare" refs/heads/main "$main"

test_case "push options are accepted"
reset_to_server
manifest_configmap with-options | write_file "$dev" deploy/options.yaml
commit_all "$dev" "pushed with options"
push_main_ok -o foo -o bar=baz

test_case "files outside the manifest globs are not validated"
printf 'key: [this is not yaml\n\0\377' | write_file "$dev" docs/notes.txt
printf '# Deploy\n\n- key: [x\n' | write_file "$dev" README.md
commit_all "$dev" "docs"
push_main_ok

test_case "the same name in another namespace is not a duplicate"
manifest_deployment web staging | write_file "$dev" deploy/staging/web.yaml
commit_all "$dev" "web in staging"
push_main_ok

# bad_manifest RULE PATH LOCATION_ERE: PATH (content on stdin) added on top of
# the server's main is rejected with RULE at a location matching
# LOCATION_ERE, and main stays put.
bad_manifest() {
  local rule=$1 path=$2 where=$3
  test_case "$rule: $path is rejected"
  reset_to_server
  write_file "$dev" "$path"
  commit_all "$dev" "bad: $rule"
  expect_push_rejected "$rule" -- "$dev" origin main
  expect_remote_line "^${path//./\\.}${where}: error: \\[${rule//./\\.}\\]"
  assert_ref_equals "$bare" refs/heads/main "$main"
}

printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: syntax\ndata: {a: [1, 2}\n' |
  bad_manifest yaml.syntax deploy/syntax.yaml ':[0-9]+:[0-9]+'
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dup\n  name: dup2\n' |
  bad_manifest yaml.duplicate-key deploy/dupkey.yaml ':5:[0-9]+'
printf '{\n  "apiVersion": "v1",\n  "kind": "ConfigMap",\n  "kind": "Secret",\n  "metadata": {"name": "json"}\n}\n' |
  bad_manifest yaml.duplicate-key deploy/dupkey.json ':4:[0-9]+'
printf 'apiVersion: v1\nmetadata:\n  name: nokind\ndata:\n  a: b\n' |
  bad_manifest k8s.kind deploy/nokind.yaml '(:[0-9]+){0,2}'
printf 'kind: ConfigMap\nmetadata:\n  name: noapi\n' |
  bad_manifest k8s.apiVersion deploy/noapi.yaml '(:[0-9]+){0,2}'
manifest_configmap Bad_Name | bad_manifest k8s.name deploy/badname.yaml ':4:[0-9]+'
manifest_configmap ns-bad Bad_Namespace | bad_manifest k8s.namespace deploy/badns.yaml ':5:[0-9]+'
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: labelled\n  labels:\n    "bad key!": x\n' |
  bad_manifest k8s.labels deploy/badlabel.yaml ':6:[0-9]+'
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: tabbed\n' |
  bad_manifest yaml.syntax deploy/tabs.yaml ':4:[0-9]+'
expect_remote_line '^deploy/tabs\.yaml:4:1: warning: \[yaml\.tabs\]'
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: latin1\ndata:\n  a: caf\351\n' |
  bad_manifest yaml.utf8 deploy/latin1.yaml '(:[0-9]+){0,2}'

test_case "k8s.duplicate: a copy of an object already on the server is rejected"
reset_to_server
manifest_deployment web | write_file "$dev" deploy/copy-of-web.yaml
commit_all "$dev" "copy web"
expect_push_rejected k8s.duplicate -- "$dev" origin main
# One finding, at the pushed file, naming the other.
expect_remote_line '^deploy/copy-of-web\.yaml:4:[0-9]+: error: \[k8s\.duplicate\].*deploy/web\.yaml:4:'
assert_ref_equals "$bare" refs/heads/main "$main"

# The hook reads only what a push changes, taking the rest of the tree from
# an index saved by an earlier push (REPO.git/pushgate/trees/). Without it,
# or with a damaged one, the check must still cover the whole tree.
test_case "k8s.duplicate sees the whole tree with the saved index gone, damaged or unusable"
reset_to_server
index_saved || fail "no tree index was saved by the accepted pushes"
manifest_configmap far-away | write_file "$dev" other/far-away.yaml
commit_all "$dev" "an object in another folder"
push_main_ok
copy_rejected() {  # LABEL: a copy of other/far-away.yaml pushed now is refused
  manifest_configmap far-away | write_file "$dev" "deploy/copy-$1.yaml"
  commit_all "$dev" "copy far-away ($1)"
  expect_push_rejected k8s.duplicate -- "$dev" origin main
  expect_remote_line "^deploy/copy-$1\\.yaml:4:[0-9]+: error: \\[k8s\\.duplicate\\].*other/far-away\\.yaml:4:"
  assert_ref_equals "$bare" refs/heads/main "$main"
  reset_to_server
}
copy_rejected indexed
for f in "$bare"/pushgate/trees/*; do printf 'garbage' >"$f"; done
copy_rejected damaged
rm -rf "$bare/pushgate/trees"
copy_rejected none
manifest_configmap after-index | write_file "$dev" deploy/after-index.yaml
commit_all "$dev" "a good change after the index was lost"
push_main_ok
index_saved || fail "the tree index was not saved again"
# A branch from an older commit, whose tree has no index of its own.
git -C "$dev" checkout -q -b from-old "$main~2"
manifest_configmap far-away | write_file "$dev" deploy/copy-old.yaml
manifest_configmap web-config | write_file "$dev" deploy/copy-config.yaml
commit_all "$dev" "copy on an old branch"
expect_push_rejected k8s.duplicate -- "$dev" origin from-old
expect_remote_line '^deploy/copy-config\.yaml:4:[0-9]+: error: \[k8s\.duplicate\].*deploy/config\.yaml:4:'
if grep -q 'copy-old\.yaml' <<<"$E2E_OUT"; then
  fail "other/far-away.yaml is not on that branch, yet its copy was reported" "$E2E_OUT"
else
  pass "only what is on the branch counts"
fi
git -C "$dev" checkout -q main
git -C "$dev" branch -q -D from-old

test_case "k8s.duplicate: two new files naming the same object are rejected"
reset_to_server
manifest_configmap twin | write_file "$dev" deploy/twin-a.yaml
manifest_configmap twin | write_file "$dev" deploy/twin-b.yaml
commit_all "$dev" "twins"
expect_push_rejected k8s.duplicate -- "$dev" origin main
expect_remote_line 'twin-a\.yaml'
expect_remote_line 'twin-b\.yaml'
assert_ref_equals "$bare" refs/heads/main "$main"

# A broken pushgate.yaml on the server: every push is rejected, saying where
# the config is wrong, until the administrator fixes it.
cp "$bare/pushgate.yaml" "$E2E_TMP/pushgate.yaml.good"
reset_to_server
manifest_configmap after-config | write_file "$dev" deploy/after-config.yaml
commit_all "$dev" "a good change"

test_case "an unknown key in pushgate.yaml rejects pushes"
printf 'validate:\n  limitz: {depth: 5}\n' >"$bare/pushgate.yaml"
expect_push_rejected pushgate.yaml: -- "$dev" origin main
expect_remote_line 'pushgate\.yaml:2:[0-9]+'
assert_ref_equals "$bare" refs/heads/main "$main"

test_case "a syntax error in pushgate.yaml rejects pushes"
printf 'validate:\n  include: ["**/*.yaml"\n  max_findings: 3\n' >"$bare/pushgate.yaml"
expect_push_rejected pushgate.yaml: -- "$dev" origin main
expect_remote_line 'pushgate\.yaml:[0-9]+:[0-9]+'
assert_ref_equals "$bare" refs/heads/main "$main"

test_case "a fixed pushgate.yaml accepts pushes again"
cp "$E2E_TMP/pushgate.yaml.good" "$bare/pushgate.yaml"
push_main_ok

finish
