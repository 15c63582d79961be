#!/bin/sh
# The demo: builds pushgate, makes a bare repository under a temporary
# folder, installs the hooks, pushes a good manifest (accepted) and a bad one
# (rejected, with the messages the pusher sees).
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

step "A bare repository with pushgate's hooks: pushgate install $demo/app.git"
git init -q --bare "$demo/app.git"
"$bin/pushgate" install "$demo/app.git"

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
YAML
git add deploy && git commit -q -m "Add web deployment"
git push origin main

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
  replicas: 3
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

step "The same checks, locally, before pushing: pushgate validate deploy"
"$bin/pushgate" validate deploy || true

step "The server still has the good commit"
git --git-dir="$demo/app.git" log --oneline main
echo
echo "Demo files are in $demo"
