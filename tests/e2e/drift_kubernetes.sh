#!/usr/bin/env bash
# Drift of a Kubernetes environment: a real pushgated with
# `drift: {interval: 1s}` deploys to a real kube-apiserver (1.20, built by
# tests/support/k8s_cluster.sh) on 127.0.0.1; a Deployment scaled by hand is
# found within a few intervals and recorded `status=drifted` once, naming the
# object, and `pushgate diff` exits 1 naming it; an object created by hand
# outside the inventory is no drift; with `heal: true` a field patched by
# hand is put back to Git's value and recorded `status=healed`.
#
# There is no kubelet: k8s_fake_kubelet (k8s_lib.sh) stands in for one by
# setting the Pods' status to Running and Ready through the /status subresource.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/deploy_lib.sh"
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/k8s_lib.sh"

# ---------------------------------------------------------------- set-up

# Each environment has a namespace of its own, made by hand (the manifests name none).
kc create namespace watched >/dev/null
kc create namespace healed >/dev/null
write_daemon_config 2 60s
make_deploy_bare shop
bare=$E2E_SRV/shop.git
cat >"$bare/pushgate.yaml" <<EOF
environments:
  watched:
    branch: main
    path: deploy/prod
    deployer: {type: kubernetes, kubeconfig: $K8S_KUBECONFIG, namespace: watched, timeout: 60s}
    drift: {interval: 1s, heal: false}
  healed:
    branch: main
    path: deploy/prod
    deployer: {type: kubernetes, kubeconfig: $K8S_KUBECONFIG, namespace: healed, timeout: 60s}
    drift: {interval: 1s, heal: true}
EOF
make_clone "file://$bare" dev
dev=$E2E_WORK/dev
cat <<'EOF' | write_file "$dev" deploy/prod/web.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx:1.25, ports: [{containerPort: 80, protocol: TCP}]}]
EOF
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {colour: blue}\n' |
  write_file "$dev" deploy/prod/settings.yaml
commit_all "$dev" "web"
c1=$(rev "$dev" HEAD)

# drift_records ENV: how many drifted records ENV's note on c1 holds.
drift_records() { deploy_note "$bare" "$1" "$c1" | grep -c ' status=drifted ' || true; }

# diff_of ENV: runs pushgate diff; its output goes to DIFF_OUT, its exit status to DIFF_RC.
diff_of() {
  DIFF_OUT=$(pushgate diff "$bare" "$1" --daemon-config "$DAEMON_CFG" 2>&1)
  DIFF_RC=$?
}

# lacks TEXT STRING: STRING does not contain TEXT.
lacks() { ! grep -qF -- "$1" <<<"$2"; }

start_daemon

# ---------------------------------------------------------------- cases

test_case "a deploy, and an object created by hand outside the inventory, are no drift"
expect_push_ok "$dev" origin main
wait_for_status "$bare" watched "$c1" succeeded
wait_for_status "$bare" healed "$c1" succeeded
kc create configmap foreign -n watched --from-literal=owner=someone-else >/dev/null
diff_of watched
check "pushgate diff exits 0 (${DIFF_OUT//$'\n'/ })" test "$DIFF_RC" -eq 0
check "pushgate diff says no drift" grep -q "^watched: no drift from ${c1:0:7}" <<<"$DIFF_OUT"
check "pushgate diff checked the objects to prune too" lacks "not checked" "$DIFF_OUT"
sleep 4
check "clean checks over four intervals record nothing" test "$(drift_records watched)" -eq 0

test_case "a Deployment scaled by hand is found and recorded once"
kc scale deployment web -n watched --replicas=5 >/dev/null
scaled_at=$SECONDS
# Each check runs kubectl twice against the API server: a few intervals on a loaded machine.
expect_drifted_within "$bare" watched "$c1" "$scaled_at" 10 "within a few intervals"
expect_note_says "$bare" watched "$c1" 'changed=1'
expect_note_says "$bare" watched "$c1" 'Deployment/watched/web'
diff_of watched
check "pushgate diff exits 1 on drift" test "$DIFF_RC" -eq 1
check "pushgate diff names the Deployment (${DIFF_OUT//$'\n'/ })" grep -qF '~Deployment/watched/web' <<<"$DIFF_OUT"
check "pushgate diff does not name the foreign ConfigMap" lacks foreign "$DIFF_OUT"
sleep 4
check "no new drifted record while the same drift persists" test "$(drift_records watched)" -eq 1
check "without heal the Deployment keeps 5 replicas" \
  test "$(kc get deployment web -n watched -o jsonpath='{.spec.replicas}')" = 5

test_case "heal: true puts a field patched by hand back to Git's value"
kc patch configmap settings -n healed --type=merge -p '{"data":{"colour":"red"}}' >/dev/null
wait_for_status "$bare" healed "$c1" drifted
expect_note_says "$bare" healed "$c1" 'ConfigMap/healed/settings'
wait_for_status "$bare" healed "$c1" healed
check "the ConfigMap holds Git's value again" \
  test "$(kc get configmap settings -n healed -o jsonpath='{.data.colour}')" = blue
diff_of healed
check "pushgate diff is clean after the heal (${DIFF_OUT//$'\n'/ })" test "$DIFF_RC" -eq 0

stop_daemon
check "pushgated stops cleanly" test "$DAEMON_RC" -eq 0
finish
