#!/bin/sh
# Writes DIR/kubernetes-1.20.2.json: the OpenAPI v2 document of Kubernetes
# 1.20.2 (api/openapi-spec/swagger.json), taken from Debian 12's `kubernetes`
# source package with apt-get, so a machine with no cluster and no access
# beyond Debian's mirrors gets schemas for `validate.schemas`. Needs no root:
# apt-get runs on a private source list and cache under DIR. Prefer your
# cluster's own document (`kubectl get --raw /openapi/v2`) where you have one.
#
#   contrib/fetch-k8s-openapi.sh DIR
set -eu
[ $# -eq 1 ] || { echo "usage: $0 DIR" >&2; exit 2; }
dir=$1
out=$dir/kubernetes-1.20.2.json
[ -s "$out" ] && { echo "$out"; exit 0; }
command -v apt-get >/dev/null || { echo "$0: needs apt-get (Debian)" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/pushgate-openapi.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$dir" "$work/lists/partial" "$work/cache/archives/partial" "$work/sources"
cat >"$work/sources/debian-src.sources" <<SOURCES
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
apt() {
  apt-get -q -o Dir::Etc::sourcelist=/dev/null -o Dir::Etc::sourceparts="$work/sources" \
    -o Dir::State::Lists="$work/lists" -o Dir::Cache="$work/cache" -o APT::Sandbox::User="$(id -un)" "$@"
}
echo "fetching Debian's kubernetes source package (about 35 MB) ..." >&2
apt update >/dev/null
(cd "$work" && apt source --download-only kubernetes >/dev/null)
tarball=$(ls "$work"/kubernetes_*.orig.tar.gz)
tar -xzf "$tarball" -C "$work" --wildcards '*/api/openapi-spec/swagger.json'
mv "$work"/kubernetes-*/api/openapi-spec/swagger.json "$out"
# Trusted only when no one else can write it (INSTALL.md, validate.schemas).
chmod 644 "$out"
echo "$out"
