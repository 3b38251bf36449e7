#!/usr/bin/env bash
# Builds the binaries the live control-plane suite (test/live) runs and prints
# the folder that holds them: kube-apiserver and kube-controller-manager
# v1.34.1, Crossplane core v2.2.1 and provider-kubernetes v1.2.0, each from the
# Go module proxy in a throwaway module pinned to exact versions (the proxy
# serves no version lists), then cached. A cold build takes 20-45 minutes on
# two cores; a warm call returns at once.
#
# Also installs etcd (Debian's etcd-server) when it is missing. With
# --cached it builds nothing: it prints the folder if everything is there and
# fails otherwise.
set -euo pipefail
K8S=v1.34.1 STAGING=v0.34.1 XP=v2.2.1 PK=v1.2.0
cache="${FPC_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/function-platform-cluster}"
bin="$cache/live/bin-k8s$K8S-xp$XP-pk$PK-2"
if [ "${1:-}" = "--cached" ]; then
  for f in kube-apiserver kube-controller-manager crossplane provider-kubernetes; do
    [ -x "$bin/$f" ] || exit 1
  done
  command -v etcd >/dev/null 2>&1 || exit 1
  echo "$bin"
  exit 0
fi
mkdir -p "$bin"

if command -v flock >/dev/null 2>&1; then
  exec 9>"$bin/.lock"
  flock 9
fi

if ! command -v etcd >/dev/null 2>&1 || ! command -v nsenter >/dev/null 2>&1 || ! command -v openssl >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  { apt-get update -qq && apt-get install -y -qq etcd-server util-linux openssl; } >&2
fi

export GOWORK=off GOFLAGS=-mod=mod CGO_ENABLED=0
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

if [ ! -x "$bin/kube-apiserver" ] || [ ! -x "$bin/kube-controller-manager" ]; then
  # k8s.io/kubernetes requires its staging modules at v0.0.0; pin each one.
  mkdir -p "$work/k8s" && cd "$work/k8s"
  {
    printf 'module live/k8s\n\ngo 1.24\n\nrequire k8s.io/kubernetes %s\n\nreplace (\n' "$K8S"
    for m in api apiextensions-apiserver apimachinery apiserver cli-runtime client-go cloud-provider \
      cluster-bootstrap code-generator component-base component-helpers controller-manager cri-api \
      cri-client csi-translation-lib dynamic-resource-allocation endpointslice externaljwt kms \
      kube-aggregator kube-controller-manager kube-proxy kube-scheduler kubectl kubelet metrics \
      mount-utils pod-security-admission sample-apiserver sample-cli-plugin sample-controller; do
      printf '\tk8s.io/%s => k8s.io/%s %s\n' "$m" "$m" "$STAGING"
    done
    echo ')'
  } > go.mod
  printf '//go:build tools\n\npackage tools\n\nimport (\n\t_ "k8s.io/kubernetes/cmd/kube-apiserver"\n\t_ "k8s.io/kubernetes/cmd/kube-controller-manager"\n)\n' > tools.go
  go mod tidy >&2
  # kubectl refuses a server whose version it cannot parse: stamp it.
  v="-s -w -X k8s.io/component-base/version.gitVersion=$K8S -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=34"
  go build -ldflags="$v" -o "$work/out/" k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager >&2
  mv "$work/out/kube-apiserver" "$work/out/kube-controller-manager" "$bin/"
fi

if [ ! -x "$bin/crossplane" ]; then
  mkdir -p "$work/xp" && cd "$work/xp"
  printf 'module live/xp\n\ngo 1.24\n' > go.mod
  go get "github.com/crossplane/crossplane/v2/cmd/crossplane@$XP" >&2
  # Stamp the version as release builds do: package dependency checks
  # (spec.crossplane.version) fail against an empty one.
  go build -ldflags="-s -w -X github.com/crossplane/crossplane/v2/internal/version.version=$XP" \
    -o "$work/crossplane" github.com/crossplane/crossplane/v2/cmd/crossplane >&2
  # Core's CRDs and webhook configurations ship in the module, not the
  # binary: keep them beside it.
  xpmod="$(go list -m -f '{{.Dir}}' github.com/crossplane/crossplane/v2)"
  rm -rf "$bin/crossplane-crds" "$bin/crossplane-webhookconfigurations"
  cp -r "$xpmod/cluster/crds" "$bin/crossplane-crds"
  cp -r "$xpmod/cluster/webhookconfigurations" "$bin/crossplane-webhookconfigurations"
  chmod -R u+w "$bin/crossplane-crds" "$bin/crossplane-webhookconfigurations"
  mv "$work/crossplane" "$bin/crossplane"
fi

if [ ! -x "$bin/provider-kubernetes" ]; then
  # v1.3+ depend on module versions the proxy refuses; v1.2.0 resolves.
  mkdir -p "$work/pk" && cd "$work/pk"
  printf 'module live/pk\n\ngo 1.24\n' > go.mod
  go get "github.com/crossplane-contrib/provider-kubernetes/cmd/provider@$PK" >&2
  go build -ldflags='-s -w' -o "$work/provider-kubernetes" github.com/crossplane-contrib/provider-kubernetes/cmd/provider >&2
  rm -rf "$bin/provider-kubernetes-crds"
  cp -r "$(go list -m -f '{{.Dir}}' github.com/crossplane-contrib/provider-kubernetes)/package/crds" "$bin/provider-kubernetes-crds"
  chmod -R u+w "$bin/provider-kubernetes-crds"
  mv "$work/provider-kubernetes" "$bin/provider-kubernetes"
fi

echo "$bin"
