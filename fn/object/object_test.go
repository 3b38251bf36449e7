package object

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/platformcluster/function-platform-cluster/fn/compose"
)

func TestWrap(t *testing.T) {
	o := compose.Owner{XR: "demo-x7k2p", Cluster: "demo"}
	manifest := map[string]any{"apiVersion": "v1", "kind": "Namespace", "metadata": map[string]any{"name": "shop"}}
	labels := map[string]any{"platform.fpc.dev/cluster": "demo", "platform.fpc.dev/component": "shop"}
	want := func(readiness map[string]any) map[string]any {
		sp := map[string]any{
			"forProvider":       map[string]any{"manifest": manifest},
			"providerConfigRef": map[string]any{"name": "demo-x7k2p"},
		}
		if readiness != nil {
			sp["readiness"] = readiness
		}
		return map[string]any{
			"apiVersion": APIVersion,
			"kind":       "Object",
			"metadata":   map[string]any{"name": "demo-x7k2p-wl-shop-namespace-shop", "labels": labels},
			"spec":       sp,
		}
	}
	cases := map[string]struct {
		celQuery string
		want     map[string]any
	}{
		"ReadyOnceApplied": {want: want(nil)},
		"ReadyFromTheManifestsStatus": {
			celQuery: "has(object.status)",
			want:     want(map[string]any{"policy": "DeriveFromCelQuery", "celQuery": "has(object.status)"}),
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := Wrap(o, "wl-shop-namespace-shop", "wl-shop-namespace-shop", manifest, tc.celQuery, "shop")
			if got.Key != "wl-shop-namespace-shop" {
				t.Errorf("Key: want wl-shop-namespace-shop, got %q", got.Key)
			}
			if diff := cmp.Diff(tc.want, got.Object); diff != "" {
				t.Errorf("Wrap(...): -want, +got:\n%s", diff)
			}
		})
	}
}

// A tenant's Objects reach the cluster through its platform's
// ProviderConfig, not one named after the tenant.
func TestWrapThroughAnotherProviderConfig(t *testing.T) {
	o := compose.Owner{XR: "team-b-4xk2p", Cluster: "demo", ProviderConfig: "demo-x7k2p"}
	got := Wrap(o, "k", "k", map[string]any{"kind": "Namespace"}, "", "")
	sp, _ := got.Object["spec"].(map[string]any)
	if diff := cmp.Diff(map[string]any{"name": "demo-x7k2p"}, sp["providerConfigRef"]); diff != "" {
		t.Errorf("Wrap(...).spec.providerConfigRef: -want, +got:\n%s", diff)
	}
}
