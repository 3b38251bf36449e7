#!/usr/bin/env bash
# Renders a claim with the real crossplane CLI in one command, and leaves
# nothing running: it builds the function, serves it on localhost:9443 (what
# example/render/functions.yaml points crossplane render at), runs
# crossplane render, and stops the function again, also on failure or ^C.
#
#   test/tools/render.sh                                   # the example claim, first reconcile
#   test/tools/render.sh example/render/xr.yaml --observed-resources=example/render/observed/1-cluster-ready.yaml
#   test/tools/render.sh example/render/tenant/xr.yaml    # a tenant on the example platform
#
# The first argument, when it is a file, is the XR (default
# example/render/xr.yaml); every other argument goes to crossplane render.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
xr=example/render/xr.yaml
if [ $# -gt 0 ] && [ -f "$1" ]; then
  xr="$1"
  shift
fi
addr=localhost:9443
listening() { (exec 3<>/dev/tcp/127.0.0.1/9443) 2>/dev/null; }
if listening; then
  echo "render.sh: something already listens on $addr (a function left running?); stop it first" >&2
  exit 1
fi
xp="$(bash test/tools/crossplane.sh)"
# From v2.3 the CLI renders with Crossplane core's engine: a local core binary
# keeps Docker out of it.
core="$(bash test/tools/live-binaries.sh --only crossplane)"
work="$(mktemp -d)"
fn_pid=""
cleanup() {
  if [ -n "$fn_pid" ]; then
    kill "$fn_pid" 2>/dev/null || true
    wait "$fn_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT INT TERM
go build -o "$work/function" .
"$work/function" --insecure --address="$addr" --metrics-address=127.0.0.1:0 >"$work/function.log" 2>&1 &
fn_pid=$!
for _ in $(seq 1 100); do
  listening && break
  if ! kill -0 "$fn_pid" 2>/dev/null; then
    cat "$work/function.log" >&2
    exit 1
  fi
  sleep 0.1
done
# A tenant's XR renders with the tenant Composition, and its platform's XR
# as the required resource.
composition=package/configuration/composition.yaml
required=example/render/required
if grep -q '^kind: XPlatformTenant$' "$xr"; then
  composition=package/configuration/tenant-composition.yaml
  required=example/render/tenant/required
fi
"$xp" composition render --crossplane-binary="$core/crossplane" "$xr" "$composition" example/render/functions.yaml \
  --required-resources="$required" -r "$@"
