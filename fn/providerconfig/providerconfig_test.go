package providerconfig

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/platformcluster/function-platform-cluster/fn/compose"
)

func TestProviderConfigs(t *testing.T) {
	owner := compose.Owner{XR: "demo-x7k2p", Cluster: "demo"}
	kc := SecretRef{Name: "demo-x7k2p-lke-kubeconfig", Namespace: "crossplane-system", Key: "kubeconfig"}
	credentials := map[string]any{
		"source":    "Secret",
		"secretRef": map[string]any{"name": "demo-x7k2p-lke-kubeconfig", "namespace": "crossplane-system", "key": "kubeconfig"},
	}
	labels := map[string]any{"platform.fpc.dev/cluster": "demo", "platform.fpc.dev/component": "providerconfig"}
	cases := map[string]struct {
		got  compose.Resource
		want compose.Resource
	}{
		"Helm": {
			got: Helm(owner, kc),
			want: compose.Resource{Key: "providerconfig-helm", Object: map[string]any{
				"apiVersion": "helm.crossplane.io/v1beta1", "kind": "ProviderConfig",
				"metadata": map[string]any{"name": "demo-x7k2p", "labels": labels},
				"spec":     map[string]any{"credentials": credentials},
			}},
		},
		"Kubernetes": {
			got: Kubernetes(owner, kc),
			want: compose.Resource{Key: "providerconfig-kubernetes", Object: map[string]any{
				"apiVersion": "kubernetes.crossplane.io/v1alpha1", "kind": "ProviderConfig",
				"metadata": map[string]any{"name": "demo-x7k2p", "labels": labels},
				"spec":     map[string]any{"credentials": credentials},
			}},
		},
		"LinodeIsPerXR": {
			got: Linode(owner, SecretRef{Name: "linode-credentials", Namespace: "crossplane-system", Key: "credentials"}),
			want: compose.Resource{Key: "providerconfig-linode", Object: map[string]any{
				"apiVersion": "linode.upbound.io/v1beta1", "kind": "ProviderConfig",
				"metadata": map[string]any{"name": "demo-x7k2p-linode", "labels": labels},
				"spec": map[string]any{"credentials": map[string]any{
					"source":    "Secret",
					"secretRef": map[string]any{"name": "linode-credentials", "namespace": "crossplane-system", "key": "credentials"},
				}},
			}},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, tc.got); diff != "" {
				t.Errorf("-want, +got:\n%s", diff)
			}
		})
	}
}
