package lke

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/platformcluster/function-platform-cluster/fn/compose"
	"github.com/platformcluster/function-platform-cluster/fn/spec"
)

func TestNodePools(t *testing.T) {
	o := compose.Owner{XR: "demo-x7k2p", Cluster: "demo"}
	s := spec.ClusterSpec{
		ClusterName: "demo",
		NodePools: []spec.NodePool{
			{Name: "default", Type: "g6-standard-4", Count: ptr[int64](3)},
			{
				Name: "burst", Type: "g6-standard-8", Autoscaler: &spec.Autoscaler{Min: 1, Max: 5},
				Labels: map[string]string{"workload": "batch"},
				Taints: []spec.Taint{{Key: "dedicated", Value: "batch", Effect: "NoSchedule"}},
			},
		},
	}
	got := NodePools(o, &s, Config{ProviderConfig: "linode", SecretNamespace: "crossplane-system"})
	if len(got) != 1 {
		t.Fatalf("NodePools(...): want 1 NodePool (the first pool lives in the Cluster), got %d", len(got))
	}
	want := map[string]any{
		"apiVersion": "lke.linode.upbound.io/v1alpha1",
		"kind":       "NodePool",
		"metadata": map[string]any{
			"name":   "demo-x7k2p-pool-burst",
			"labels": map[string]any{"platform.fpc.dev/cluster": "demo", "platform.fpc.dev/component": "lke"},
		},
		"spec": map[string]any{
			"forProvider": map[string]any{
				"clusterIdRef": map[string]any{"name": "demo-x7k2p-cluster"},
				"type":         "g6-standard-8",
				"autoscaler":   []any{map[string]any{"min": int64(1), "max": int64(5)}},
				"labels":       map[string]any{"workload": "batch"},
				"taint":        []any{map[string]any{"key": "dedicated", "value": "batch", "effect": "NoSchedule"}},
				"tags":         []any{"fpc-external-pool"},
			},
			"providerConfigRef": map[string]any{"name": "linode"},
		},
	}
	if got[0].Key != "nodepool-burst" {
		t.Errorf("Key: want nodepool-burst, got %q", got[0].Key)
	}
	if diff := cmp.Diff(want, got[0].Object); diff != "" {
		t.Errorf("NodePools(...): -want, +got:\n%s", diff)
	}
}
