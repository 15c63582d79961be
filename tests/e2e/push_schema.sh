#!/usr/bin/env bash
# Schema validation at push time: objects are checked against the Kubernetes
# OpenAPI document that pushgate.yaml names (validate.schemas), and custom
# resources against the CRDs of the pushed tree, over file:// and ssh://.
# The schemas are ../shared/k8s-openapi/swagger-v1.36.json and -v1.30.json.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/servers.sh"

shared=${PUSHGATE_SHARED_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)/shared}
openapi=$shared/k8s-openapi
[[ -r $openapi/swagger-v1.36.json && -r $openapi/swagger-v1.30.json ]] ||
  skip "no Kubernetes OpenAPI documents at $openapi (set PUSHGATE_SHARED_DIR to the folder holding k8s-openapi/)"

# A copy the suite may touch and chmod; the original is read-only data.
schemas=$E2E_TMP/schemas
mkdir -p "$schemas"
cp "$openapi/swagger-v1.36.json" "$openapi/swagger-v1.30.json" "$schemas/"

# use_schemas BARE FILE...: pushgate.yaml of BARE names these schemas.
use_schemas() {
  local bare=$1 list
  shift
  list=$(printf '"%s", ' "$@")
  printf 'validate:\n  schemas: [%s]\n' "${list%, }" >"$bare/pushgate.yaml"
}

start_sshd
make_bare app
use_schemas "$E2E_SRV/app.git" "$schemas/swagger-v1.36.json"

for url in "$E2E_SRV/app.git" "$SSH_URL$E2E_SRV/app.git"; do
  label=${url%%:*}
  [[ $url == /* ]] && label=file
  clone=schema-$label
  make_clone "$url" "$clone"
  dir=$E2E_WORK/$clone

  test_case "$label: a Deployment that fits the 1.36 schema is accepted"
  manifest_deployment web-$label | write_file "$dir" deploy/web-$label.yaml
  commit_all "$dir" "add web"
  expect_push_ok "$dir" origin HEAD:$label

  test_case "$label: replicas: \"two\" is rejected at its line and column"
  manifest_deployment web-$label | sed 's/replicas: 2/replicas: "two"/' | write_file "$dir" deploy/web-$label.yaml
  commit_all "$dir" "two replicas"
  expect_push_rejected k8s.schema -- "$dir" origin HEAD:$label
  expect_remote_line "^deploy/web-$label\\.yaml:9:13: error: \\[k8s\\.schema\\] spec\\.replicas: expected integer, got string \"two\""
  git -C "$dir" reset -q --hard HEAD~1
done

test_case "the compiled schemas are kept beside the config, and made again when the source changes"
cache=$E2E_SRV/app.git/pushgate-schemas.cache
check "a cache file was written" test -s "$cache"
before=$(stat -c %Y.%i "$cache")
touch -d '1 minute ago' "$schemas/swagger-v1.36.json"
make_clone "$E2E_SRV/app.git" schema-main
dir=$E2E_WORK/schema-main
manifest_configmap settings | write_file "$dir" deploy/settings.yaml
commit_all "$dir" "add settings"
expect_push_ok "$dir" origin HEAD:main
check "the cache was made again" test "$(stat -c %Y.%i "$cache")" != "$before"

test_case "unknown fields and missing required fields are errors"
cat <<'YAML' | write_file "$dir" deploy/svc.yaml
apiVersion: v1
kind: Service
metadata:
  name: svc
spec:
  ports:
    - name: http
      protocl: TCP
YAML
commit_all "$dir" "bad service"
expect_push_rejected k8s.schema -- "$dir" origin HEAD:main
expect_remote_line '^deploy/svc\.yaml:7:7: error: \[k8s\.schema\] spec\.ports\[0\]: missing required field "port"'
expect_remote_line '^deploy/svc\.yaml:8:7: error: \[k8s\.schema\] spec\.ports\[0\]\.protocl: unknown field \(did you mean protocol\?\)'
git -C "$dir" reset -q --hard HEAD~1

test_case "a CRD and its custom resources in one push"
crd_widgets | write_file "$dir" crds/widgets.yaml
widget small 1 | write_file "$dir" deploy/small.yaml
commit_all "$dir" "widgets"
expect_push_ok "$dir" origin HEAD:main
widget big '"huge"' | write_file "$dir" deploy/big.yaml
commit_all "$dir" "a widget of the wrong type"
expect_push_rejected k8s.schema -- "$dir" origin HEAD:main
expect_remote_line '^deploy/big\.yaml:6:9: error: \[k8s\.schema\] spec\.size: expected integer, got string "huge"'
git -C "$dir" reset -q --hard HEAD~1
printf 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: odd\nspec:\n  size: 2\n  shape: round\n  color: blue\n' |
  write_file "$dir" deploy/odd.yaml
commit_all "$dir" "a widget with an unknown field and a color not in the enum"
expect_push_rejected k8s.schema -- "$dir" origin HEAD:main
expect_remote_line '^deploy/odd\.yaml:7:3: error: \[k8s\.schema\] spec\.shape: unknown field'
expect_remote_line '^deploy/odd\.yaml:8:10: error: \[k8s\.schema\] spec\.color: '
git -C "$dir" reset -q --hard HEAD~1

test_case "a custom resource without its CRD is warned about, not rejected"
printf 'apiVersion: example.org/v1\nkind: Gadget\nmetadata:\n  name: g\n' | write_file "$dir" deploy/gadget.yaml
commit_all "$dir" "a gadget"
expect_push_ok "$dir" origin HEAD:main
expect_remote_line '^deploy/gadget\.yaml:1:1: warning: \[k8s\.unknown-kind\] no schema knows apiVersion example\.org/v1'

test_case "a retired apiVersion is warned about, naming where the kind is served now"
manifest_deployment legacy | sed 's|apiVersion: apps/v1|apiVersion: extensions/v1beta1|' | write_file "$dir" deploy/legacy.yaml
commit_all "$dir" "a legacy deployment"
expect_push_ok "$dir" origin HEAD:main
expect_remote_line '^deploy/legacy\.yaml:1:1: warning: \[k8s\.unknown-kind\] no schema knows apiVersion extensions/v1beta1, .*; Deployment is served at apps/v1 *$'

test_case "a CRD change is checked against the custom resources the push did not touch"
crd_widgets | sed 's/size: {type: integer}/size: {type: string}/' | write_file "$dir" crds/widgets.yaml
commit_all "$dir" "size becomes a string"
expect_push_rejected k8s.schema -- "$dir" origin HEAD:main
expect_remote_line '^deploy/small\.yaml:6:9: error: \[k8s\.schema\] spec\.size: expected string'
git -C "$dir" reset -q --hard HEAD~1

test_case "an apiVersion is judged by the configured Kubernetes version"
# resource.k8s.io/v1 (dynamic resource allocation) is GA in 1.36, absent in 1.30.
cat <<'YAML' | write_file "$dir" deploy/claim.yaml
apiVersion: resource.k8s.io/v1
kind: ResourceClaim
metadata:
  name: gpu
spec:
  devices:
    requests: []
YAML
commit_all "$dir" "a resource claim"
expect_push_ok "$dir" origin HEAD:main
if grep -q 'k8s.unknown-kind' <<<"$E2E_OUT"; then fail "1.36 does not know resource.k8s.io/v1" "$E2E_OUT"; else pass "1.36 knows resource.k8s.io/v1"; fi
make_bare old
use_schemas "$E2E_SRV/old.git" "$schemas/swagger-v1.30.json"
printf 'validate:\n  schemas: ["%s"]\n  rules: {k8s.unknown-kind: error}\n' "$schemas/swagger-v1.30.json" >"$E2E_SRV/old.git/pushgate.yaml"
expect_push_rejected k8s.unknown-kind -- "$dir" "$E2E_SRV/old.git" HEAD:main
expect_remote_line '^deploy/claim\.yaml:1:1: error: \[k8s\.unknown-kind\] no schema knows apiVersion resource\.k8s\.io/v1'

test_case "schemas the administrator does not own alone are refused, failing closed"
chmod g+w "$schemas/swagger-v1.36.json"
manifest_configmap other | write_file "$dir" deploy/other.yaml
commit_all "$dir" "another config map"
expect_push_rejected "swagger-v1.36.json" "validate.schemas" -- "$dir" origin HEAD:main
chmod g-w "$schemas/swagger-v1.36.json"
use_schemas "$E2E_SRV/app.git" "$schemas/missing.json"
expect_push_rejected "missing.json" "does not exist" -- "$dir" origin HEAD:main

test_case "pushgate install --check compiles and reports the schemas"
rm -f "$E2E_SRV/old.git/pushgate-schemas.cache"
out=$("$PUSHGATE_BIN_DIR/pushgate" install --check "$E2E_SRV/old.git" 2>&1)
if grep -qE '^ok: validate\.schemas: 1 source file, [0-9]{3,} kinds' <<<"$out"; then pass "the kinds are counted"; else fail "no validate.schemas line" "$out"; fi
check "the cache was written" test -s "$E2E_SRV/old.git/pushgate-schemas.cache"
out=$("$PUSHGATE_BIN_DIR/pushgate" install --check "$E2E_SRV/app.git" 2>&1)
rc=$?
if ((rc == 1)) && grep -q 'missing.json' <<<"$out"; then pass "a missing schema is a problem (exit 1)"; else fail "exit $rc" "$out"; fi

finish
