# shellcheck shell=bash disable=SC2034  # BASICS_CLONE is read by the suites
# Manifests the suites push, and the checks every transport shares. Sourced
# by lib.sh.

# manifest_deployment NAME [NAMESPACE]: a valid Deployment. Line 4 holds the
# name, which the suites rely on when they break it.
manifest_deployment() {
  cat <<EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  name: $1
  namespace: ${2:-default}
  labels:
    app.kubernetes.io/name: $1
spec:
  replicas: 2
  selector:
    matchLabels:
      app.kubernetes.io/name: $1
  template:
    metadata:
      labels:
        app.kubernetes.io/name: $1
    spec:
      containers:
        - name: $1
          image: nginx:1.25
EOF
}

# manifest_configmap NAME [NAMESPACE]: a valid ConfigMap.
manifest_configmap() {
  cat <<EOF
apiVersion: v1
kind: ConfigMap
metadata:
  name: $1
  namespace: ${2:-default}
data:
  greeting: hello
EOF
}

# crd_widgets: a CustomResourceDefinition of Widget (example.com/v1) with a
# structural schema: spec.size an integer (required), spec.color red or green.
crd_widgets() {
  cat <<'YAML'
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget}
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                size: {type: integer}
                color: {type: string, enum: [red, green]}
              required: [size]
YAML
}

# widget NAME SIZE: a Widget, in no namespace.
widget() {
  printf 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: %s\nspec:\n  size: %s\n' "$1" "$2"
}

# transport_basics BARE URL LABEL: over the transport that URL uses, a good
# push is accepted and lands; a bad manifest is rejected, the pusher sees
# file:line:col and the rule as remote: lines, and the ref stays where it was.
# Leaves the clone's path in BASICS_CLONE.
transport_basics() {
  local bare=$1 url=$2 label=$3 good
  local clone=basics-${label//[^a-zA-Z0-9]/_}
  make_clone "$url" "$clone"
  local dir=$E2E_WORK/$clone
  BASICS_CLONE=$dir

  test_case "$label: a good manifest is accepted"
  manifest_deployment web | write_file "$dir" deploy/web.yaml
  manifest_configmap web-config | write_file "$dir" deploy/config.yaml
  commit_all "$dir" "add web"
  good=$(rev "$dir" HEAD)
  expect_push_ok "$dir" origin main
  assert_ref_equals "$bare" refs/heads/main "$good"

  test_case "$label: a bad name is rejected with file:line:col"
  manifest_deployment Web_Server | write_file "$dir" deploy/web.yaml
  commit_all "$dir" "break the name"
  expect_push_rejected k8s.name -- "$dir" origin main
  expect_remote_line '^deploy/web\.yaml:4:[0-9]+: error: \[k8s\.name\]'
  assert_ref_equals "$bare" refs/heads/main "$good"

  test_case "$label: a syntax error is rejected with file:line:col"
  printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [unclosed\n' | write_file "$dir" deploy/config.yaml
  manifest_deployment web | write_file "$dir" deploy/web.yaml
  commit_all "$dir" "break the syntax"
  expect_push_rejected yaml.syntax -- "$dir" origin main
  expect_remote_line '^deploy/config\.yaml:[0-9]+:[0-9]+: error: \[yaml\.syntax\]'
  assert_ref_equals "$bare" refs/heads/main "$good"
}
