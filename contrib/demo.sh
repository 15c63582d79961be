#!/bin/sh
# The demo: builds pushgate, makes a bare repository under a temporary
# folder with the hooks installed and a pushgated running, then: a good push
# is accepted and deployed to a local folder, the deploy notes are read back
# with plain git, a bad push is rejected with the messages the pusher sees
# (a schema error among them, against Kubernetes' OpenAPI document),
# and a release whose health check fails is rolled back.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=${PUSHGATE_BUILD_DIR:-$root/build}
"$root/contrib/debian-build-deps.sh"
PUSHGATE_BUILD_DIR=$build "$root/contrib/build.sh"
bin=$build/bin

demo=$(mktemp -d /tmp/pushgate-demo.XXXXXX)
export HOME="$demo" GIT_CONFIG_NOSYSTEM=1
git config --global user.name "Demo Developer"
git config --global user.email dev@example.com
git config --global init.defaultBranch main
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "A bare repository with pushgate's hooks and a daemon: pushgate install $demo/app.git"
git init -q --bare "$demo/app.git"
# pushgated deploys only the repositories its config names.
printf 'workers: 2\nwait_limit: 60s\nrepositories: ["%s/app.git"]\n' "$demo" > "$demo/pushgated.yaml"
"$bin/pushgate" install "$demo/app.git" --daemon-config "$demo/pushgated.yaml"
# Kubernetes schemas, offline: the OpenAPI document of Kubernetes 1.20.2 from
# Debian's kubernetes source package, named in validate.schemas.
schema=$("$root/contrib/fetch-k8s-openapi.sh" "$demo/schemas")
sed -i "s|^  # schemas: .*|  schemas: [\"$schema\"]|" "$demo/app.git/pushgate.yaml"
cat >> "$demo/app.git/pushgate.yaml" <<YAML
environments:
  production:
    branch: main
    path: deploy
    deployer: {type: local, dir: $demo/srv/app, keep_releases: 3}
    # Healthy unless the release holds a file named BROKEN.
    health: {command: ["test", "!", "-e", "{release}/BROKEN"], timeout: 5s, retries: 2, interval: 200ms}
YAML
"$bin/pushgated" --config "$demo/pushgated.yaml" 2> "$demo/pushgated.log" &
daemon=$!
trap 'kill $daemon 2>/dev/null; wait $daemon 2>/dev/null' EXIT

step "A good manifest is accepted"
git clone -q "$demo/app.git" "$demo/work" 2>/dev/null
cd "$demo/work"
mkdir -p deploy
cat > deploy/web.yaml <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels: {app: web, tier: frontend}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - {name: web, image: "nginx:1.25", ports: [{containerPort: 80}]}
YAML
git add deploy && git commit -q -m "Add web deployment"
git push -o pushgate.wait origin main

step "It is live: $demo/srv/app/current"
ls -l "$demo/srv/app/current"
cat "$demo/srv/app/current/web.yaml" | head -3

step "The record, read with plain git"
git fetch -q origin 'refs/notes/*:refs/notes/*'
git log -1 --notes='deploy/*' | cat

step "A bad manifest is rejected before it lands"
cat > deploy/web.yaml <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: Web_Frontend
  namespace: shop
  labels: {app: web, tier: frontend}
  labels: {app: web}
spec:
  replicas: "two"
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - {name: web, image: "nginx:1.25", imagePullPolcy: Always}
YAML
cat > deploy/api.yaml <<'YAML'
apiVersion: v1
kind: Service
metadata:
  name: api
  labels: {"team/owner!": x}
spec: {ports: [{port: 80}
YAML
git add deploy && git commit -q -m "Break things"
if git push origin main; then echo "unexpected: the bad push was accepted"; exit 1; fi

step "The same checks, locally, before pushing: pushgate validate --config pushgate.yaml deploy"
"$bin/pushgate" validate --config "$demo/app.git/pushgate.yaml" deploy || true

step "The server still has the good commit"
git --git-dir="$demo/app.git" log --oneline main

step "A release that fails its health check is rolled back"
git reset -q --hard origin/main
echo "not ok" > deploy/BROKEN
git add deploy && git commit -q -m "Ship a broken release"
git push -o pushgate.wait origin main
"$bin/pushgate" status "$demo/app.git" --daemon-config "$demo/pushgated.yaml"
echo
echo "Demo files are in $demo"
