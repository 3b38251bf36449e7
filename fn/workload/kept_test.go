package workload

import (
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/types/known/structpb"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/platformcluster/function-platform-cluster/fn/compose"
	"github.com/platformcluster/function-platform-cluster/fn/object"
	"github.com/platformcluster/function-platform-cluster/fn/observed"
	"github.com/platformcluster/function-platform-cluster/fn/protection"
	"github.com/platformcluster/function-platform-cluster/fn/score"
)

// TestKept: a workload keeps exactly its own Objects and their usages, even
// when another workload's keys start with its prefix, when an add-on's
// Object has its component label, ("wl-shop-" and
// "wl-shop-x-...") and when the shared resources' Namespace Object has the
// very key a workload named "shared" would give it.
func TestKept(t *testing.T) {
	ns := func(name string) score.Manifest {
		return score.Manifest{"apiVersion": "v1", "kind": "Namespace", "metadata": map[string]any{"name": name}}
	}
	dep := func(name string) score.Manifest {
		return score.Manifest{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": map[string]any{"name": name, "namespace": name}}
	}
	out := score.Output{
		Shared: []score.Manifest{ns(score.SharedNamespace)},
		Workloads: []score.WorkloadOutput{
			{Name: "shared", Namespace: "shared", Manifests: []score.Manifest{ns("shared"), dep("shared")}},
			{Name: "shop", Namespace: "shop", Manifests: []score.Manifest{ns("shop"), dep("shop")}},
			{Name: "shop-x", Namespace: "shop-x", Manifests: []score.Manifest{ns("shop-x"), dep("shop-x")}},
		},
	}
	owner := compose.Owner{XR: "demo-x7k2p", Cluster: "demo"}
	ds, _ := Deliver(out, Target{Owner: owner})
	obs := observed.State{}
	for _, d := range ds {
		for _, r := range d.Resources {
			s, err := structpb.NewStruct(r.Object)
			if err != nil {
				t.Fatal(err)
			}
			obs[r.Key] = &fnv1.Resource{Resource: s}
			// Every Object protected by a usage, as routes are.
			u := protection.Usage(owner, protection.Ref{Key: "crd", Kind: "Object", Name: "crd"}, protection.RefOf(r))
			us, err := structpb.NewStruct(u.Object)
			if err != nil {
				t.Fatal(err)
			}
			obs[u.Key] = &fnv1.Resource{Resource: us}
		}
	}
	// The default Gateway's Object carries the component label a workload
	// named "gateway" would have.
	gw := object.Wrap(owner, "object-gateway", "gateway", score.Manifest{"apiVersion": "gateway.networking.k8s.io/v1", "kind": "Gateway",
		"metadata": map[string]any{"name": "gateway", "namespace": "gateway"}}, "", "gateway")
	gs, err := structpb.NewStruct(gw.Object)
	if err != nil {
		t.Fatal(err)
	}
	obs[gw.Key] = &fnv1.Resource{Resource: gs}
	for name, want := range map[string][]string{
		"shared":  {"usage-wl-shared-deployment-shared-crd", "usage-wl-shared-namespace-shared-crd", "wl-shared-deployment-shared", "wl-shared-namespace-shared"},
		"shop":    {"usage-wl-shop-deployment-shop-crd", "usage-wl-shop-namespace-shop-crd", "wl-shop-deployment-shop", "wl-shop-namespace-shop"},
		"gone":    nil,
		"gateway": nil,
	} {
		var got []string
		for k := range Kept(obs, name) {
			got = append(got, k)
		}
		sort.Strings(got)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Kept(%q): -want, +got:\n%s", name, diff)
		}
	}
}
