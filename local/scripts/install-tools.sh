#!/usr/bin/env bash
# Installs the no-cluster infrastructure that is missing: Go binaries and Zipkin's server jar into
# .tools/bin (git-ignored, reused when present), Redis and Chromium from Debian.
# Usage: install-tools.sh [ferretdb|nats-streaming-server|nats-server|stripe-mock|prometheus|zipkin|redis|chromium]...
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BIN="${TICKETING_TOOLS_BIN:-$ROOT/.tools/bin}"
mkdir -p "$BIN"

FERRETDB_VERSION=v1.24.2
# FerretDB 1.24's SQLite backend writes its _id lookups as `->'$._id'` but its _id index as `->"_id"`,
# so SQLite never uses the index and every find, update and delete by _id scans the whole table;
# it also ignores the _id of a filter with more than one field. The first patch fixes both. Its updates
# read and then write, so two connections' compare-and-sets on one document could both win (FerretDB#3040):
# the second patch makes update, findAndModify and delete atomic across connections. A sort other than
# $natural is done in memory after reading every document, so a page of a listing scans the table: the
# third patch has a find sorted by _id read the _id index in that order up to its limit, from a cursor's bound.
FERRETDB_PATCHES=(
  "$ROOT/local/scripts/ferretdb-sqlite-id-index.patch"
  "$ROOT/local/scripts/ferretdb-sqlite-atomic-writes.patch"
  "$ROOT/local/scripts/ferretdb-sqlite-id-order.patch"
)
FERRETDB_BUILD="$FERRETDB_VERSION+$(cat "${FERRETDB_PATCHES[@]}" | sha256sum | cut -c1-12)"
NATS_STREAMING_VERSION=v0.25.6
# NATS with JetStream, for EVENT_BUS=jetstream.
NATS_SERVER_VERSION=v2.15.2
STRIPE_MOCK_VERSION=v0.203.0
# Prometheus 3.16 (its Go module numbers v3.16.0 as v0.316.0), for `npm start -- --observe`.
PROMETHEUS_VERSION=v0.316.0
# Zipkin's server (the trace store of `npm start -- --observe` and the trace test), as released to Maven Central:
# one runnable jar with its web UI (Zipkin Lens) inside; the image of infra/k8s-observability/zipkin.yaml is the same release.
ZIPKIN_VERSION=3.6.1
ZIPKIN_SHA256=d8326e0ed4f43855dba81228f688554706e52578a7c782d9a90b73f8680654a1

log() { echo "[tools] $*" >&2; }

need_go() {
  command -v go >/dev/null || { log "Go is required to build $1 (https://go.dev/dl)"; exit 1; }
}

# A writable copy of a module's source, in a new temporary folder whose path it prints: for builds that
# `go install` cannot do (a patch, a generated file, `replace` directives in go.mod).
module_source() {
  local dir tmp
  dir="$(GOFLAGS=-mod=mod go mod download -json "$1" | sed -n 's/^\s*"Dir": "\(.*\)",$/\1/p')"
  tmp="$(mktemp -d)"
  cp -r "$dir/." "$tmp"
  chmod -R u+w "$tmp"
  echo "$tmp"
}

install_ferretdb() {
  [[ -x "$BIN/ferretdb" && "$(cat "$BIN/ferretdb.build" 2>/dev/null)" == "$FERRETDB_BUILD" ]] && return
  need_go ferretdb
  log "building ferretdb $FERRETDB_BUILD (first time only, takes a few minutes)"
  local tmp
  tmp="$(module_source "github.com/FerretDB/FerretDB@$FERRETDB_VERSION")"
  # A plain `go install` misses the generated build/version/version.txt (FerretDB#2982).
  echo "$FERRETDB_VERSION" > "$tmp/build/version/version.txt"
  local patch
  for patch in "${FERRETDB_PATCHES[@]}"; do (cd "$tmp" && git apply -p1 "$patch"); done
  (cd "$tmp" && GOFLAGS=-mod=mod GOTOOLCHAIN=local go build -trimpath -o "$BIN/ferretdb" ./cmd/ferretdb)
  echo "$FERRETDB_BUILD" > "$BIN/ferretdb.build"
  rm -rf "$tmp"
  log "ferretdb installed"
}

# The release's exec jar through Maven (its checksums checked by Maven, then the pinned SHA-256), as $BIN/zipkin.jar.
install_zipkin() {
  [[ -f "$BIN/zipkin.jar" && "$(cat "$BIN/zipkin.version" 2>/dev/null)" == "$ZIPKIN_VERSION" ]] && return
  apt_install java openjdk-17-jre-headless
  apt_install mvn maven
  log "downloading zipkin-server $ZIPKIN_VERSION (first time only)"
  local tmp
  tmp="$(mktemp -d)"
  mvn --batch-mode --quiet --strict-checksums -Dstyle.color=never dependency:copy \
    -Dartifact="io.zipkin:zipkin-server:$ZIPKIN_VERSION:jar:exec" -DoutputDirectory="$tmp" -Dmdep.stripVersion=true >&2
  echo "$ZIPKIN_SHA256  $tmp/zipkin-server-exec.jar" | sha256sum --check --quiet >&2
  mv "$tmp/zipkin-server-exec.jar" "$BIN/zipkin.jar"
  echo "$ZIPKIN_VERSION" > "$BIN/zipkin.version"
  rm -rf "$tmp"
  log "zipkin installed"
}

install_go_binary() {
  local name="$1" module="$2"
  shift 2
  [[ -x "$BIN/$name" ]] && return
  need_go "$name"
  log "building $name ${module##*@} (first time only, takes a minute or two)"
  GOBIN="$BIN" GOTOOLCHAIN=local go install "$@" "$module"
  log "$name installed"
}

apt_install() {
  local cmd="$1" pkg="$2"
  command -v "$cmd" >/dev/null && return
  [[ $(id -u) -eq 0 ]] || { log "$cmd is missing: run 'sudo apt-get install $pkg'"; exit 1; }
  log "installing $pkg from Debian"
  # apt-get update runs once per machine boot.
  [[ -f /tmp/.ticketing-apt-updated ]] || { apt-get update -qq >&2 && touch /tmp/.ticketing-apt-updated; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg" >&2
  log "$pkg installed"
}

install_one() {
  case "$1" in
    ferretdb) install_ferretdb ;;
    nats-streaming-server) install_go_binary nats-streaming-server "github.com/nats-io/nats-streaming-server@$NATS_STREAMING_VERSION" ;;
    nats-server) install_go_binary nats-server "github.com/nats-io/nats-server/v2@$NATS_SERVER_VERSION" ;;
    stripe-mock) install_go_binary stripe-mock "github.com/stripe/stripe-mock@$STRIPE_MOCK_VERSION" ;;
    # Service discovery: files (local) and Kubernetes (the manifest's) only; the cloud SDKs would triple the build.
    prometheus) install_go_binary prometheus "github.com/prometheus/prometheus/cmd/prometheus@$PROMETHEUS_VERSION" -tags remove_all_sd,enable_kubernetes_sd ;;
    zipkin) install_zipkin ;;
    redis) apt_install redis-server redis-server ;;
    chromium) apt_install chromium chromium ;;
    *) log "unknown tool: $1"; exit 2 ;;
  esac
}

if [[ $# -eq 0 ]]; then
  set -- ferretdb nats-streaming-server nats-server stripe-mock zipkin redis chromium
fi
for tool in "$@"; do install_one "$tool"; done
