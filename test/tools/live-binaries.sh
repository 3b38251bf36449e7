#!/usr/bin/env bash
# Builds the binaries the live control-plane suite (test/live) runs and prints
# the folder that holds them. Each component is built from the Go module proxy
# in a throwaway module pinned to exact versions (the proxy serves no version
# lists) and cached in a folder of its own, so moving one pin rebuilds only
# that component:
#
#   kube-apiserver, kube-controller-manager, kube-scheduler   k8s.io/kubernetes $K8S
#   crossplane (+ its CRDs, webhook configurations, Helm chart) crossplane/v2 $XP
#   crossplane-oldest/ (the same, at the oldest version crossplane.yaml admits)  $XP_OLDEST
#   provider-kubernetes (+ CRDs)                              $PK
#   provider-helm (+ CRDs)                                    $PH
#   kwok (fake nodes for the workload cluster)                sigs.k8s.io/kwok $KWOK
#
# The folder printed holds links to every component. A cold build takes
# about an hour on two cores (kube ~20 min, each Crossplane ~5, each provider
# ~8); a warm call returns at once.
#
# Also installs etcd (Debian's etcd-server) when it is missing. With
# --plane it builds only what TestLive's plane runs (everything but
# crossplane-oldest, which only TestOldestCrossplane needs, and which it
# then builds or waits for with --only) and prints the folder; with --cached
# it builds nothing: it prints the folder if that much is there and fails
# otherwise. With --only NAME it builds one component and prints its folder
# (test/render needs only Crossplane core, for crossplane render). Every
# component builds under a lock of its own, so a caller that needs one a
# background build is making waits for it instead of building it again.
set -euo pipefail
K8S=v1.34.1 STAGING=v0.34.1
XP=v2.4.0 XP_OLDEST=v2.0.8
PK=v1.2.1 PH=v1.3.0 KWOK=v0.8.0
cache="${FPC_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/function-platform-cluster}/live"
out="$cache/bin-k8s$K8S-xp$XP-$XP_OLDEST-pk$PK-ph$PH-kwok$KWOK"

k8s_dir="$cache/k8s-$K8S"
xp_dir() { echo "$cache/crossplane-$1"; }
pk_dir="$cache/provider-kubernetes-$PK"
ph_dir="$cache/provider-helm-$PH"
kwok_dir="$cache/kwok-$KWOK"

# link assembles the printed folder from the component folders.
link() {
  mkdir -p "$out"
  for f in kube-apiserver kube-controller-manager kube-scheduler; do ln -sfn "$k8s_dir/$f" "$out/$f"; done
  for f in crossplane crossplane-crds crossplane-webhookconfigurations crossplane-chart; do
    ln -sfn "$(xp_dir "$XP")/$f" "$out/$f"
  done
  ln -sfn "$(xp_dir "$XP_OLDEST")" "$out/crossplane-oldest"
  ln -sfn "$pk_dir/provider-kubernetes" "$out/provider-kubernetes"
  ln -sfn "$pk_dir/crds" "$out/provider-kubernetes-crds"
  ln -sfn "$ph_dir/provider-helm" "$out/provider-helm"
  ln -sfn "$ph_dir/crds" "$out/provider-helm-crds"
  ln -sfn "$kwok_dir/kwok" "$out/kwok"
  printf 'K8S=%s\nXP=%s\nXP_OLDEST=%s\nPK=%s\nPH=%s\nKWOK=%s\n' "$K8S" "$XP" "$XP_OLDEST" "$PK" "$PH" "$KWOK" > "$out/versions"
}

# complete says whether the plane's components are there (not the oldest
# Crossplane's: TestOldestCrossplane asks for it on its own).
complete() {
  for f in "$k8s_dir/kube-apiserver" "$k8s_dir/kube-controller-manager" "$k8s_dir/kube-scheduler" \
    "$(xp_dir "$XP")/crossplane" \
    "$pk_dir/provider-kubernetes" "$ph_dir/provider-helm" "$kwok_dir/kwok"; do
    [ -x "$f" ] || return 1
  done
  command -v etcd >/dev/null 2>&1
}

if [ "${1:-}" = "--cached" ]; then
  complete || exit 1
  link
  echo "$out"
  exit 0
fi
mkdir -p "$cache"

export GOWORK=off GOFLAGS=-mod=mod CGO_ENABLED=0
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# locked runs one component's build under a lock of its own, so parallel
# callers (CI's background build, test packages) wait instead of racing.
locked() {
  local name="$1"; shift
  if command -v flock >/dev/null 2>&1; then
    ( exec 9>"$cache/.$name.lock"; flock 9; "$@" )
  else
    "$@"
  fi
}

build_etcd() {
  if ! command -v etcd >/dev/null 2>&1 || ! command -v nsenter >/dev/null 2>&1 || ! command -v openssl >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    { apt-get update -qq && apt-get install -y -qq etcd-server util-linux openssl; } >&2
  fi
}

build_k8s() {
  [ -x "$k8s_dir/kube-apiserver" ] && [ -x "$k8s_dir/kube-controller-manager" ] && [ -x "$k8s_dir/kube-scheduler" ] && return 0
  # k8s.io/kubernetes requires its staging modules at v0.0.0; pin each one.
  local w="$work/k8s"; mkdir -p "$w" && cd "$w"
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
  printf '//go:build tools\n\npackage tools\n\nimport (\n\t_ "k8s.io/kubernetes/cmd/kube-apiserver"\n\t_ "k8s.io/kubernetes/cmd/kube-controller-manager"\n\t_ "k8s.io/kubernetes/cmd/kube-scheduler"\n)\n' > tools.go
  go mod tidy >&2
  # kubectl refuses a server whose version it cannot parse: stamp it.
  local minor="${K8S#v1.}"; minor="${minor%%.*}"
  local v="-s -w -X k8s.io/component-base/version.gitVersion=$K8S -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$minor"
  go build -ldflags="$v" -o "$w/out/" k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager k8s.io/kubernetes/cmd/kube-scheduler >&2
  mkdir -p "$k8s_dir"
  mv "$w/out/kube-apiserver" "$w/out/kube-controller-manager" "$w/out/kube-scheduler" "$k8s_dir/"
}

build_crossplane() {
  local version="$1" dir; dir="$(xp_dir "$1")"
  [ -x "$dir/crossplane" ] && return 0
  local w="$work/xp-$version"; mkdir -p "$w" && cd "$w"
  printf 'module live/xp\n\ngo 1.24\n' > go.mod
  go get "github.com/crossplane/crossplane/v2/cmd/crossplane@$version" >&2
  # Later v2 releases' apis module is refused by the proxy past the core's
  # own version: hold it at the core's.
  if go list -m github.com/crossplane/crossplane/apis/v2 >/dev/null 2>&1; then
    go get "github.com/crossplane/crossplane/apis/v2@$version" >&2
  fi
  # Stamp the version as release builds do: package dependency checks
  # (spec.crossplane.version) fail against an empty one.
  go build -ldflags="-s -w -X github.com/crossplane/crossplane/v2/internal/version.version=$version -X github.com/crossplane/crossplane-runtime/v2/pkg/version.version=$version" \
    -o "$w/crossplane" github.com/crossplane/crossplane/v2/cmd/crossplane >&2
  # Core's CRDs, webhook configurations and Helm chart (its RBAC) ship in the
  # module, not the binary: keep them beside it.
  local mod; mod="$(go list -m -f '{{.Dir}}' github.com/crossplane/crossplane/v2)"
  rm -rf "$dir" && mkdir -p "$dir"
  cp -r "$mod/cluster/crds" "$dir/crossplane-crds"
  cp -r "$mod/cluster/webhookconfigurations" "$dir/crossplane-webhookconfigurations"
  cp -r "$mod/cluster/charts/crossplane" "$dir/crossplane-chart"
  chmod -R u+w "$dir"
  mv "$w/crossplane" "$dir/crossplane"
}

build_provider() {
  local name="$1" mod="$2" version="$3" dir="$4"
  [ -x "$dir/$name" ] && return 0
  local w="$work/$name"; mkdir -p "$w" && cd "$w"
  printf 'module live/%s\n\ngo 1.24\n' "$name" > go.mod
  go get "$mod/cmd/provider@$version" >&2
  go build -ldflags='-s -w' -o "$w/$name" "$mod/cmd/provider" >&2
  rm -rf "$dir" && mkdir -p "$dir"
  cp -r "$(go list -m -f '{{.Dir}}' "$mod")/package/crds" "$dir/crds"
  chmod -R u+w "$dir/crds"
  mv "$w/$name" "$dir/$name"
}

build_kwok() {
  [ -x "$kwok_dir/kwok" ] && return 0
  local w="$work/kwok"; mkdir -p "$w" && cd "$w"
  printf 'module live/kwok\n\ngo 1.24\n' > go.mod
  go get "sigs.k8s.io/kwok/cmd/kwok@$KWOK" >&2
  go build -ldflags='-s -w' -o "$w/kwok" sigs.k8s.io/kwok/cmd/kwok >&2
  mkdir -p "$kwok_dir" && mv "$w/kwok" "$kwok_dir/kwok"
}

component() {
  case "$1" in
    etcd) locked etcd build_etcd ;;
    k8s) locked k8s build_k8s ;;
    crossplane) locked "xp-$XP" build_crossplane "$XP" ;;
    crossplane-oldest) locked "xp-$XP_OLDEST" build_crossplane "$XP_OLDEST" ;;
    # v1.3+ depend on module versions the proxy refuses; v1.2.x resolves.
    provider-kubernetes) locked "pk-$PK" build_provider provider-kubernetes github.com/crossplane-contrib/provider-kubernetes "$PK" "$pk_dir" ;;
    # v1.4.0 depends on module versions the proxy refuses; v1.3.0 resolves.
    provider-helm) locked "ph-$PH" build_provider provider-helm github.com/crossplane-contrib/provider-helm "$PH" "$ph_dir" ;;
    kwok) locked "kwok-$KWOK" build_kwok ;;
    *) echo "unknown component $1" >&2; return 2 ;;
  esac
}

# component_dir prints where a component's files are.
component_dir() {
  case "$1" in
    k8s) echo "$k8s_dir" ;;
    crossplane) xp_dir "$XP" ;;
    crossplane-oldest) xp_dir "$XP_OLDEST" ;;
    provider-kubernetes) echo "$pk_dir" ;;
    provider-helm) echo "$ph_dir" ;;
    kwok) echo "$kwok_dir" ;;
  esac
}

if [ "${1:-}" = "--only" ]; then
  component "$2" >&2
  component_dir "$2"
  exit 0
fi

if [ "${1:-}" = "--plane" ]; then
  for c in etcd k8s provider-kubernetes provider-helm kwok crossplane; do component "$c" >&2; done
  link
  echo "$out"
  exit 0
fi

# timed builds one component and says how long it took, in wall-clock
# seconds and CPU seconds of everything it ran (go's compilers and linker
# included): on a shared machine the CPU time is what compares. The build
# runs in a plain subshell, so that set -e stops it at its first failure.
timed() {
  local c="$1" t0
  t0=$(date +%s)
  ( component "$c" >&2; times >"$work/times-$c" )
  echo "live-binaries: $c ready ($(( $(date +%s) - t0 ))s, $(awk 'END { split($1, u, /[ms]/); split($2, s, /[ms]/); printf "%d", u[1]*60 + u[2] + s[1]*60 + s[2] }' "$work/times-$c")s CPU)" >&2
}

# lane builds components one after another.
lane() {
  local c
  for c in "$@"; do timed "$c"; done
}

component etcd >&2
# Two lanes at once: on two cores one go build leaves a core idle while it
# downloads and resolves modules and while it links (single-threaded), and
# the other lane's compiles fill it. Components find in GOCACHE what an
# earlier one compiled (packages of the same module versions):
# provider-helm shares ~300 packages with provider-kubernetes, kwok ~330
# with provider-helm (kwok starts after kube's long build, when
# provider-helm is about done), and Crossplane v2.4.0 ~650 with the
# crossplane CLI v2.5.0 that .ci/run builds meanwhile. A warm component
# returns at once.
#
# TestLive needs every component but crossplane-oldest, so that one comes
# last: .ci/run starts the tests before it is built (--plane waits on the
# others' locks) and TestOldestCrossplane, which runs after TestLive, waits
# for it then. Cold, TestLive's 15-25 minutes hide most of its build.
lane k8s kwok crossplane-oldest &
lane_a=$!
lane provider-kubernetes provider-helm crossplane
wait "$lane_a"
link
echo "$out"
