package lke

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/platformcluster/function-platform-cluster/fn/compose"
	"github.com/platformcluster/function-platform-cluster/fn/spec"
)

func ptr[T any](v T) *T { return &v }

func TestCluster(t *testing.T) {
	c := Config{ProviderConfig: "linode", SecretNamespace: "crossplane-system"}
	cases := map[string]struct {
		spec spec.ClusterSpec
		want map[string]any
	}{
		"MinimalSinglePool": {
			spec: spec.ClusterSpec{
				ClusterName: "demo", Region: "us-ord", KubernetesVersion: "1.33",
				Labels:    map[string]string{"team": "platform"},
				NodePools: []spec.NodePool{{Name: "default", Type: "g6-standard-2", Count: ptr[int64](3)}},
			},
			want: map[string]any{
				"apiVersion": "lke.linode.upbound.io/v1alpha1",
				"kind":       "Cluster",
				"metadata": map[string]any{
					"name":        "demo-x7k2p-cluster",
					"annotations": map[string]any{"platform.fpc.dev/own-pool": "default"},
					"labels": map[string]any{
						"team": "a", "platform.fpc.dev/cluster": "demo", "platform.fpc.dev/component": "lke",
					},
				},
				"spec": map[string]any{
					"forProvider": map[string]any{
						"label": "demo", "region": "us-ord", "k8sVersion": "1.33",
						"tags": []any{"team:platform"},
						"pool": []any{map[string]any{"type": "g6-standard-2", "count": int64(3)}},
						"controlPlane": []any{map[string]any{
							"highAvailability": false,
							"acl":              []any{map[string]any{"enabled": false}},
						}},
					},
					"providerConfigRef":          map[string]any{"name": "linode"},
					"writeConnectionSecretToRef": map[string]any{"name": "demo-x7k2p-lke-kubeconfig", "namespace": "crossplane-system"},
				},
			},
		},
		"HAWithACLTierTagsAndExternalPools": {
			spec: spec.ClusterSpec{
				ClusterName: "demo", Region: "de-fra-2", KubernetesVersion: "1.34", Tier: "enterprise",
				HighAvailability: ptr(true),
				ControlPlaneACL: &spec.ACL{Enabled: true, Addresses: spec.ACLAddresses{
					IPv4: []string{"203.0.113.0/24"}, IPv6: []string{"2001:db8::/32"},
				}},
				Labels: map[string]string{"team": "platform", "environment": "dev"},
				Tags:   []string{"zeta", "demo", "team:platform"},
				NodePools: []spec.NodePool{
					{
						Name: "default", Type: "g6-standard-4", Autoscaler: &spec.Autoscaler{Min: 2, Max: 6},
						Labels: map[string]string{"pool": "default"},
						Taints: []spec.Taint{{Key: "k", Value: "v", Effect: "NoSchedule"}},
						Tags:   []string{"b", "a"},
					},
					{Name: "burst", Type: "g6-standard-8", Count: ptr[int64](1)},
				},
			},
			want: map[string]any{
				"apiVersion": "lke.linode.upbound.io/v1alpha1",
				"kind":       "Cluster",
				"metadata": map[string]any{
					"name":        "demo-x7k2p-cluster",
					"annotations": map[string]any{"platform.fpc.dev/own-pool": "default"},
					"labels": map[string]any{
						"team": "a", "platform.fpc.dev/cluster": "demo", "platform.fpc.dev/component": "lke",
					},
				},
				"spec": map[string]any{
					"forProvider": map[string]any{
						"label": "demo", "region": "de-fra-2", "k8sVersion": "1.34", "tier": "enterprise",
						// Labels become key:value tags; duplicates collapse; sorted.
						"tags":             []any{"demo", "environment:dev", "team:platform", "zeta"},
						"externalPoolTags": []any{"fpc-external-pool"},
						"pool": []any{map[string]any{
							"type":       "g6-standard-4",
							"autoscaler": []any{map[string]any{"min": int64(2), "max": int64(6)}},
							"labels":     map[string]any{"pool": "default"},
							"taint":      []any{map[string]any{"key": "k", "value": "v", "effect": "NoSchedule"}},
							"tags":       []any{"a", "b"},
						}},
						"controlPlane": []any{map[string]any{
							"highAvailability": true,
							"acl": []any{map[string]any{
								"enabled": true,
								"addresses": []any{map[string]any{
									"ipv4": []any{"203.0.113.0/24"},
									"ipv6": []any{"2001:db8::/32"},
								}},
							}},
						}},
					},
					"providerConfigRef":          map[string]any{"name": "linode"},
					"writeConnectionSecretToRef": map[string]any{"name": "demo-x7k2p-lke-kubeconfig", "namespace": "crossplane-system"},
				},
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			o := compose.Owner{XR: "demo-x7k2p", Cluster: tc.spec.ClusterName, Labels: map[string]string{"team": "a"}}
			got := Cluster(o, &tc.spec, c)
			if got.Key != ClusterKey {
				t.Errorf("Key: want %s, got %q", ClusterKey, got.Key)
			}
			if diff := cmp.Diff(tc.want, got.Object); diff != "" {
				t.Errorf("Cluster(...): -want, +got:\n%s", diff)
			}
		})
	}
}
