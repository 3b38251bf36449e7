package protection

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/platformcluster/function-platform-cluster/fn/compose"
)

func TestUsage(t *testing.T) {
	cluster := compose.Resource{Key: "cluster", Object: compose.Object("lke.linode.upbound.io/v1alpha1", "Cluster", "demo-x7k2p-cluster")}
	pc := compose.Resource{Key: "providerconfig-helm", Object: compose.Object("helm.crossplane.io/v1beta1", "ProviderConfig", "demo-x7k2p")}
	got := Usage(compose.Owner{XR: "demo-x7k2p", Cluster: "demo", Labels: map[string]string{"team": "a"}}, RefOf(cluster), RefOf(pc))
	want := compose.Resource{Key: "usage-providerconfig-helm-cluster", Object: map[string]any{
		"apiVersion": "protection.crossplane.io/v1beta1",
		"kind":       "ClusterUsage",
		"metadata": map[string]any{
			"name":   "demo-x7k2p-uses-providerconfig-helm-cluster",
			"labels": map[string]any{"team": "a", "platform.fpc.dev/cluster": "demo", "platform.fpc.dev/component": "protection"},
		},
		"spec": map[string]any{
			"of": map[string]any{
				"apiVersion": "lke.linode.upbound.io/v1alpha1", "kind": "Cluster",
				"resourceRef": map[string]any{"name": "demo-x7k2p-cluster"},
			},
			"by": map[string]any{
				"apiVersion": "helm.crossplane.io/v1beta1", "kind": "ProviderConfig",
				"resourceRef": map[string]any{"name": "demo-x7k2p"},
			},
			"replayDeletion": true,
		},
	}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Usage(...): -want, +got:\n%s", diff)
	}
}
