#!/usr/bin/env bash
# Policy rules over file://: a push that breaks one is rejected with its
# remote: line and the ref stays; an exemption with a reason is honoured and
# shown as a note; one without a reason is refused; a Service selecting
# nothing is a warning; `pushgate validate --format sarif` gives a SARIF log.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

bare=$E2E_SRV/policy.git
make_bare policy
make_clone "file://$bare" dev
dev=$E2E_WORK/dev

# manifest_latest NAME [ANNOTATION]: manifest_deployment with image
# nginx:latest, and ANNOTATION as the value of pushgate.dev/ignore.
manifest_latest() {
  manifest_deployment "$1" | sed 's/image: nginx:1.25/image: nginx:latest/' |
    if [[ -n ${2:-} ]]; then
      sed "s|^  namespace: default|  namespace: default\n  annotations:\n    pushgate.dev/ignore: \"$2\"|"
    else
      cat
    fi
}

test_case "a workload that only misses hardening is accepted, its warnings shown"
manifest_deployment web | write_file "$dev" deploy/web.yaml
commit_all "$dev" "add web"
good=$(rev "$dev" HEAD)
expect_push_ok "$dev" origin main
assert_ref_equals "$bare" refs/heads/main "$good"
expect_remote_line '^deploy/web\.yaml:[0-9]+:[0-9]+: warning: \[policy\.run-as-root\] container .web. may run as root'

test_case "an image tagged :latest is rejected with its line, column and how to fix it"
manifest_latest web | write_file "$dev" deploy/web.yaml
commit_all "$dev" "run latest"
expect_push_rejected "[policy.latest-tag]" -- "$dev" origin main
expect_remote_line "^deploy/web\.yaml:20:18: error: \[policy\.latest-tag\] container 'web' runs image 'nginx:latest'.*pin a version tag or a digest"
assert_ref_equals "$bare" refs/heads/main "$good"

test_case "an exemption with a reason is honoured and reported as a note"
manifest_latest web "policy.latest-tag: pinned by digest upstream" | write_file "$dev" deploy/web.yaml
commit_all "$dev" "exempt latest"
expect_push_ok "$dev" origin main
assert_ref_equals "$bare" refs/heads/main "$(rev "$dev" HEAD)"
expect_remote_line "^deploy/web\.yaml:22:18: note: \[policy\.latest-tag\] .* \(exempted: pinned by digest upstream\)"
expect_remote_line '^pushgate: push accepted: 0 errors, [0-9]+ warnings in 1 manifest \(1 finding exempted by annotation\)'
exempted=$(rev "$dev" HEAD)

test_case "an exemption without a reason exempts nothing and says so"
manifest_latest web "policy.latest-tag" | write_file "$dev" deploy/web.yaml
commit_all "$dev" "exempt without a reason"
expect_push_rejected "[policy.ignore]" "[policy.latest-tag]" -- "$dev" origin main
expect_remote_line "^deploy/web\.yaml:[0-9]+:[0-9]+: error: \[policy\.ignore\] pushgate\.dev/ignore exempts policy\.latest-tag without a reason"
assert_ref_equals "$bare" refs/heads/main "$exempted"
git -C "$dev" reset -q --hard "$exempted"

test_case "a Service that selects no pod template of the tree is a warning, at its selector"
cat <<'YAML' | write_file "$dev" deploy/service.yaml
apiVersion: v1
kind: Service
metadata:
  name: api
spec:
  selector:
    app.kubernetes.io/name: api
  ports: [{port: 80}]
YAML
commit_all "$dev" "add a service for api"
expect_push_ok "$dev" origin main
expect_remote_line "^deploy/service\.yaml:7:5: warning: \[policy\.dangling-service\] Service 'api' selects app\.kubernetes\.io/name=api"

test_case "validate.rules makes a policy rule an error on the server"
printf 'validate:\n  rules: {policy.dangling-service: error}\n' >"$bare/pushgate.yaml"
printf '# touch\n' >>"$dev/deploy/service.yaml"
commit_all "$dev" "touch the service"
expect_push_rejected "[policy.dangling-service]" -- "$dev" origin main
expect_remote_line "^deploy/service\.yaml:7:5: error: \[policy\.dangling-service\]"

test_case "pushgate validate --format sarif: a SARIF 2.1.0 log with the findings and the exemption"
command -v python3 >/dev/null || { echo "python3 is needed to read the SARIF log: not checked"; finish; }
rc=0
"$PUSHGATE_BIN_DIR/pushgate" validate --format sarif "$dev/deploy" >"$E2E_TMP/report.sarif" 2>"$E2E_TMP/stderr" || rc=$?
check "pushgate validate --format sarif exits 0 with warnings and notes only (exit $rc)" test "$rc" = 0
summary=$(python3 - "$E2E_TMP/report.sarif" <<'PY'
import json, sys
log = json.load(open(sys.argv[1]))
run = log["runs"][0]
rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
for r in run["results"]:
    loc = r["locations"][0]["physicalLocation"]
    assert rules[r["ruleIndex"]] == r["ruleId"]
    print(log["version"], r["ruleId"], r["level"], loc["artifactLocation"]["uri"].rsplit("/", 1)[-1],
          loc["region"]["startLine"], loc["region"]["startColumn"],
          r.get("suppressions", [{}])[0].get("justification", "-"))
PY
) || fail "the SARIF log cannot be read" "$(cat "$E2E_TMP/report.sarif")"
check "the SARIF log has the exempted finding as a note with its reason" \
  grep -qx '2.1.0 policy.latest-tag note web.yaml 22 18 pinned by digest upstream' <<<"$summary"
check "the SARIF log has the dangling Service as a warning" \
  grep -qx '2.1.0 policy.dangling-service warning service.yaml 7 5 -' <<<"$summary"

finish
