#!/usr/bin/env bash
# The official YAML test suite, read from ../shared/yaml-test-suite (or
# $PUSHGATE_SHARED_DIR/yaml-test-suite): every case that a conformant parser
# must reject is rejected with a yaml.* error, every valid case is accepted
# (exit 0; warnings allowed). One `pushgate validate --format json` run over a
# tree holding each case's in.yaml as CASE.yaml gives a verdict per case.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

shared=${PUSHGATE_SHARED_DIR:-$(dirname "${BASH_SOURCE[0]}")/../../../shared}
cases=$shared/yaml-test-suite/cases
[[ -d $cases ]] || skip "no YAML test suite at $cases (set PUSHGATE_SHARED_DIR to the folder that holds yaml-test-suite/)"
command -v python3 >/dev/null || skip "python3 is needed to read pushgate validate --format json"

tree=$E2E_TMP/cases
mkdir -p "$tree"
for dir in "$cases"/*/; do
  id=$(basename "$dir")
  cp "$dir/in.yaml" "$tree/$id.yaml" || die "cannot copy $dir/in.yaml"
done

test_case "the YAML test suite, one verdict per case"
rc=0
"$PUSHGATE_BIN_DIR/pushgate" validate --format json "$tree" >"$E2E_TMP/report.json" 2>"$E2E_TMP/stderr" || rc=$?
((rc <= 1)) || die "pushgate validate exited with $rc" "$(cat "$E2E_TMP/stderr")"
[[ -s $E2E_TMP/stderr ]] && fail "pushgate validate wrote to stderr" "$(cat "$E2E_TMP/stderr")"

# Prints "must_fail rejected valid accepted", then one line per case that
# went wrong: its id, what the suite expects, and its first finding.
python3 - "$cases" "$E2E_TMP/report.json" >"$E2E_TMP/verdicts" <<'PY' || die "cannot read the JSON report"
import json, os, sys
cases, report = sys.argv[1], json.load(open(sys.argv[2]))
findings = {}
for f in report["findings"]:
    findings.setdefault(os.path.basename(f["path"])[: -len(".yaml")], []).append(f)
counts = {"must_fail": 0, "rejected": 0, "valid": 0, "accepted": 0}
wrong = []
for case in sorted(os.listdir(cases)):
    mine = findings.get(case, [])
    errors = [f for f in mine if f["severity"] == "error"]
    first = "{}:{}: {} [{}] {}".format(mine[0]["line"], mine[0]["column"], mine[0]["severity"],
                                       mine[0]["rule"], mine[0]["message"]) if mine else "no finding"
    if os.path.exists(os.path.join(cases, case, "error")):
        counts["must_fail"] += 1
        if any(f["rule"].startswith("yaml.") for f in errors):
            counts["rejected"] += 1
        else:
            wrong.append(f"{case} must fail: {first}")
    else:
        counts["valid"] += 1
        if not errors:
            counts["accepted"] += 1
        else:
            wrong.append("{} is valid: {}:{}: [{}] {}".format(case, errors[0]["line"], errors[0]["column"],
                                                           errors[0]["rule"], errors[0]["message"]))
print(counts["must_fail"], counts["rejected"], counts["valid"], counts["accepted"])
print("\n".join(wrong))
PY
read -r must_fail rejected valid accepted <"$E2E_TMP/verdicts"
wrong=$(tail -n +2 "$E2E_TMP/verdicts" | grep -v '^$')
echo "must fail: $rejected of $must_fail rejected with a yaml.* error; valid: $accepted of $valid accepted"

if ((must_fail > 0 && rejected == must_fail)); then
  pass "all $must_fail cases that must fail are rejected with a yaml.* error"
else
  fail "$((must_fail - rejected)) of $must_fail cases that must fail are not rejected with a yaml.* error" \
    "$(grep ' must fail: ' <<<"$wrong")"
fi
if ((valid > 0 && accepted == valid)); then
  pass "all $valid valid cases are accepted"
else
  fail "$((valid - accepted)) of $valid valid cases are rejected" "$(grep ' is valid: ' <<<"$wrong")"
fi
if ((rc == (must_fail > 0 ? 1 : 0))); then
  pass "pushgate validate exits $rc"
else
  fail "pushgate validate exits $rc"
fi

finish
