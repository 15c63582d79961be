#!/usr/bin/env bash
# Push to Kubernetes: real pushes into a bare repository whose daemon deploys
# with the kubernetes deployer to a real kube-apiserver and
# kube-controller-manager (1.20, built by tests/support/k8s_cluster.sh) on
# 127.0.0.1. Checks a Deployment + Service + ConfigMap applied and ready, an
# object removed from Git pruned while a foreign one survives, a CRD and its
# custom resource in one push, a Deployment that never becomes ready rolled
# back, kill -9 of the daemon during an apply recovered, and the cluster's
# schemas saved for the gate.
#
# There is no kubelet: k8s_fake_kubelet (k8s_lib.sh) stands in for one by
# setting the Pods' status to Running and Ready through the /status
# subresource, except for Pods labelled never-ready.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/deploy_lib.sh"
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/k8s_lib.sh"

# ---------------------------------------------------------------- set-up

write_daemon_config 2 60s
make_deploy_bare shop
bare=$E2E_SRV/shop.git
write_config() {
  cat >"$bare/pushgate.yaml" <<EOF
$1
environments:
  production:
    branch: main
    path: deploy/prod
    deployer: {type: kubernetes, kubeconfig: $K8S_KUBECONFIG, namespace: shop, timeout: 15s}
EOF
}
write_config ""
make_clone "file://$bare" dev
dev=$E2E_WORK/dev
start_daemon

# deployment NAME [POD-LABEL]: a Deployment that Kubernetes 1.20 takes by
# server-side apply (cpu as a string, ports with their protocol).
deployment() {
  cat <<EOF
apiVersion: apps/v1
kind: Deployment
metadata: {name: $1, namespace: shop}
spec:
  replicas: 2
  selector: {matchLabels: {app: $1}}
  template:
    metadata: {labels: {app: $1${2:+, $2}}}
    spec:
      containers:
        - name: $1
          image: nginx:1.25
          ports: [{containerPort: 80, protocol: TCP}]
          resources: {requests: {cpu: "100m"}}
EOF
}

write_base() {
  printf 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n' | write_file "$dev" deploy/prod/namespace.yaml
  deployment web | write_file "$dev" deploy/prod/web.yaml
  cat <<'EOF' | write_file "$dev" deploy/prod/service.yaml
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 80, protocol: TCP}]
EOF
  manifest_configmap settings shop | write_file "$dev" deploy/prod/settings.yaml
}

# push_and_wait MESSAGE: commits, pushes and waits (60 s) for the job's final
# record; sets COMMIT and FINAL_STATUS.
push_and_wait() {
  commit_all "$dev" "$1"
  COMMIT=$(rev "$dev" HEAD)
  expect_push_ok "$dev" origin main
  local job
  job=$(queued_jobs | awk '$1 == "production" {print $2}')
  wait_for_final "$bare" production "$COMMIT" "$job" 60 ||
    fail "no final record for ${COMMIT:0:7}" "$(tail -30 "$DAEMON_LOG")"
}

deploy_log() { git --git-dir="$bare" notes --ref=deploy-log/production show "$1" 2>/dev/null; }
expect_log_says() {
  if deploy_log "$1" | grep -qF -- "$2"; then pass "the deploy log of ${1:0:7} says '$2'"
  else fail "the deploy log of ${1:0:7} does not say '$2'" "$(deploy_log "$1")"; fi
}
live_commit() { kc get configmap pushgate-production -n shop -o jsonpath='{.metadata.annotations.pushgate\.io/commit}'; }
exists() { kc get "$@" >/dev/null 2>&1; }

# ---------------------------------------------------------------- cases

test_case "a Deployment, Service and ConfigMap applied and ready"
write_base
push_and_wait "web shop"
base=$COMMIT
check "the deploy succeeded (got ${FINAL_STATUS:-none})" test "$FINAL_STATUS" = succeeded
check "the Deployment has 2 available replicas" \
  test "$(kc get deployment web -n shop -o jsonpath='{.status.availableReplicas}')" = 2
check "the Service exists" exists service web -n shop
check "the ConfigMap exists" exists configmap settings -n shop
check "the objects carry the environment label" \
  test "$(kc get configmap settings -n shop -o jsonpath='{.metadata.labels.pushgate\.io/environment}')" = production
check "the cluster records ${base:0:7} as live" test "$(live_commit)" = "$base"
expect_log_says "$base" "created deployment.apps/web"
expect_log_says "$base" "objects ready after"
expect_note_says "$bare" production "$base" "is applied and ready in namespace shop"
schema=$bare/pushgate-schemas/production.openapi-v2.json
check "the daemon saved the cluster's schemas after the deploy" grep -q '"io.k8s.api.apps.v1.Deployment"' "$schema"

test_case "an object removed from Git is pruned; a foreign one survives"
kc create configmap foreign -n shop --from-literal=owner=someone-else >/dev/null
git -C "$dev" rm -q deploy/prod/settings.yaml
push_and_wait "drop settings"
check "the deploy succeeded (got ${FINAL_STATUS:-none})" test "$FINAL_STATUS" = succeeded
check "the removed ConfigMap is gone" bash -c "! kubectl --kubeconfig '$K8S_KUBECONFIG' get configmap settings -n shop 2>/dev/null"
check "the foreign ConfigMap survives" exists configmap foreign -n shop
check "the Deployment is untouched" exists deployment web -n shop
expect_log_says "$COMMIT" "pruned configmap/settings"

test_case "a CRD and its custom resource in one push"
crd_widgets | write_file "$dev" deploy/prod/crd.yaml
# In no namespace: it goes to the deployer's.
widget w1 3 | write_file "$dev" deploy/prod/widget.yaml
push_and_wait "widgets"
check "the deploy succeeded (got ${FINAL_STATUS:-none})" test "$FINAL_STATUS" = succeeded
check "the custom resource exists" test "$(kc get widget w1 -n shop -o jsonpath='{.spec.size}')" = 3
crds_done=$COMMIT

test_case "a Deployment that never becomes ready is rolled back"
deployment stuck "never-ready: \"yes\"" | write_file "$dev" deploy/prod/stuck.yaml
push_and_wait "stuck"
check "the deploy was rolled back (got ${FINAL_STATUS:-none})" test "$FINAL_STATUS" = rolled-back
check "what the failed deploy added is pruned" bash -c "! kubectl --kubeconfig '$K8S_KUBECONFIG' get deployment stuck -n shop 2>/dev/null"
check "the cluster still records ${crds_done:0:7} as live" test "$(live_commit)" = "$crds_done"
expect_log_says "$COMMIT" "not ready: Deployment shop/stuck"
expect_note_says "$bare" production "$COMMIT" "is live again"
git -C "$dev" rm -q deploy/prod/stuck.yaml

test_case "kill -9 of the daemon during an apply is recovered"
deployment api | write_file "$dev" deploy/prod/api.yaml
commit_all "$dev" "api"
COMMIT=$(rev "$dev" HEAD)
expect_push_ok "$dev" origin main
job=$(queued_jobs | awk '$1 == "production" {print $2}')
for _ in $(seq 200); do
  grep -q "pushgate: applying ${COMMIT:0:12}" "$DAEMON_SPOOL/logs/$job"* 2>/dev/null && break
  sleep 0.05
done
kill_daemon
start_daemon
wait_for_final "$bare" production "$COMMIT" "$job" 60
check "the cut-off deploy ran again and succeeded (got ${FINAL_STATUS:-none})" test "$FINAL_STATUS" = succeeded
expect_note_says "$bare" production "$COMMIT" "status=interrupted"
check "the Deployment of the cut-off push is ready" \
  test "$(kc get deployment api -n shop -o jsonpath='{.status.availableReplicas}')" = 2
check "the cluster records ${COMMIT:0:7} as live" test "$(live_commit)" = "$COMMIT"

test_case "pushgate schemas fetch, and the gate checking against the cluster's schemas"
rm -f "$schema"
out=$(pushgate schemas fetch "$bare" production 2>&1)
check "schemas fetch saved the document (${out//$'\n'/ })" grep -q '"com.example.v1.Widget"' "$schema"
write_config "validate: {schemas: [pushgate-schemas/production.openapi-v2.json]}"
sed -i 's/replicas: 2/replicas: two/' "$dev/deploy/prod/api.yaml"
commit_all "$dev" "bad replicas"
expect_push_rejected k8s.schema "spec.replicas" -- "$dev" origin main

finish
