#!/usr/bin/env bash
# Builds the real crossplane CLI from its current home, github.com/crossplane/cli
# (cmd/crossplane; core's cmd/crank stopped at v2.2.x), and prints its path.
# The proxy serves exact versions only, so the binary is built inside a
# throwaway module pinned to one, then cached.
set -euo pipefail
version="${CROSSPLANE_CLI_VERSION:-v2.5.0}"
cache="${FPC_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/function-platform-cluster}"
bin="$cache/bin/crossplane-cli-$version"
if [ -x "$bin" ]; then
  echo "$bin"
  exit 0
fi
mkdir -p "$cache/bin"
# Test packages run in parallel may all get here: let one build while the
# others wait (flock is not everywhere; without it each builds, harmlessly).
if command -v flock >/dev/null 2>&1; then
  exec 9>"$cache/bin/.crossplane-cli-$version.lock"
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
  go mod init crossplane-cli-build >/dev/null 2>&1
  go get "github.com/crossplane/cli/v2/cmd/crossplane@$version" >&2
  CGO_ENABLED=0 go build -ldflags="-s -w -X github.com/crossplane/crossplane-runtime/v2/pkg/version.version=$version" \
    -o "$bin.tmp.$$" github.com/crossplane/cli/v2/cmd/crossplane >&2
)
mv "$bin.tmp.$$" "$bin"
echo "$bin"
