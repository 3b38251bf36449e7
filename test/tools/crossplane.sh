#!/usr/bin/env bash
# Builds the real crossplane CLI (crank) from the Go module proxy and prints its path.
# v2.3+ no longer ships cmd/crank and the proxy refuses version listing, so the
# binary is built inside a throwaway module pinned to an exact version, then cached.
set -euo pipefail
version="${CROSSPLANE_VERSION:-v2.2.1}"
cache="${FPC_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/function-platform-cluster}"
bin="$cache/bin/crossplane-$version"
if [ -x "$bin" ]; then
  echo "$bin"
  exit 0
fi
mkdir -p "$cache/bin"
# Test packages run in parallel may all get here: let one build while the
# others wait (flock is not everywhere; without it each builds, harmlessly).
if command -v flock >/dev/null 2>&1; then
  exec 9>"$cache/bin/.crossplane-$version.lock"
  flock 9
  if [ -x "$bin" ]; then
    echo "$bin"
    exit 0
  fi
fi
work="$(mktemp -d)"
trap 'rm -rf "$work" "$bin.tmp.$$"' EXIT
(
  cd "$work"
  # A throwaway module: ignore any go.work and vendoring the caller has set.
  export GOWORK=off GOFLAGS=-mod=mod
  go mod init crank-build >/dev/null 2>&1
  go get "github.com/crossplane/crossplane/v2/cmd/crank@$version" >&2
  CGO_ENABLED=0 go build -o "$bin.tmp.$$" github.com/crossplane/crossplane/v2/cmd/crank >&2
)
mv "$bin.tmp.$$" "$bin"
echo "$bin"
