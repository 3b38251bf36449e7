package teardown

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/resource"

	"github.com/platformcluster/function-platform-cluster/fn/compose"
)

var owner = compose.Owner{XR: "demo-x7k2p", Cluster: "demo"}

func labels() map[string]any {
	return map[string]any{"platform.fpc.dev/cluster": "demo", "platform.fpc.dev/component": "teardown"}
}

func wrapped(name string, manifest map[string]any, policies []any) map[string]any {
	return map[string]any{
		"apiVersion": "kubernetes.crossplane.io/v1alpha2",
		"kind":       "Object",
		"metadata":   map[string]any{"name": name, "labels": labels()},
		"spec": map[string]any{
			"forProvider":        map[string]any{"manifest": manifest},
			"providerConfigRef":  map[string]any{"name": "demo-x7k2p"},
			"managementPolicies": policies,
		},
	}
}

func TestGuards(t *testing.T) {
	v := Volume{Namespace: "harbor", Name: "data-harbor-redis-0", PV: "pvc-0a1b"}
	pvc := map[string]any{"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": map[string]any{"name": "data-harbor-redis-0", "namespace": "harbor"}}
	pv := func(reclaim string) map[string]any {
		return map[string]any{"apiVersion": "v1", "kind": "PersistentVolume", "metadata": map[string]any{"name": "pvc-0a1b"}, "spec": map[string]any{"persistentVolumeReclaimPolicy": reclaim}}
	}
	cases := map[string]struct {
		got     compose.Resource
		wantKey string
		want    map[string]any
	}{
		"ClaimDeletedWithTheClaim": {
			got: PVCGuard(owner, v, false), wantKey: "teardown-pvc-harbor.data-harbor-redis-0",
			want: wrapped("demo-x7k2p-pvc-harbor.data-harbor-redis-0", pvc, []any{"Observe", "Delete"}),
		},
		"ClaimKept": {
			got: PVCGuard(owner, v, true), wantKey: "teardown-pvc-harbor.data-harbor-redis-0",
			want: wrapped("demo-x7k2p-pvc-harbor.data-harbor-redis-0", pvc, []any{"Observe", "LateInitialize"}),
		},
		"VolumeReclaimedByDeletion": {
			got: PVGuard(owner, v, false), wantKey: "teardown-pv-pvc-0a1b",
			want: wrapped("demo-x7k2p-pv-pvc-0a1b", pv("Delete"), []any{"Observe", "Create", "Update", "Delete"}),
		},
		"VolumeRetained": {
			got: PVGuard(owner, v, true), wantKey: "teardown-pv-pvc-0a1b",
			want: wrapped("demo-x7k2p-pv-pvc-0a1b", pv("Retain"), []any{"Observe", "Create", "Update"}),
		},
		"GatewayLoadBalancer": {
			got: GatewayLB(owner, "nginx-gateway", "default", "nginx"), wantKey: "teardown-lb-gateway",
			want: wrapped("demo-x7k2p-lb-nginx-gateway.default-nginx",
				map[string]any{"apiVersion": "v1", "kind": "Service", "metadata": map[string]any{"name": "default-nginx", "namespace": "nginx-gateway"}},
				[]any{"Observe", "Delete"}),
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if tc.got.Key != tc.wantKey {
				t.Errorf("key: want %q, got %q", tc.wantKey, tc.got.Key)
			}
			if diff := cmp.Diff(tc.want, tc.got.Object); diff != "" {
				t.Errorf("-want, +got:\n%s", diff)
			}
		})
	}
}

func TestCollectionAndStorageClass(t *testing.T) {
	want := map[string]any{
		"apiVersion": "kubernetes.crossplane.io/v1alpha1",
		"kind":       "ObservedObjectCollection",
		"metadata":   map[string]any{"name": "demo-x7k2p-volumes", "labels": labels()},
		"spec": map[string]any{
			"observeObjects":    map[string]any{"apiVersion": "v1", "kind": "PersistentVolumeClaim", "selector": map[string]any{}},
			"providerConfigRef": map[string]any{"name": "demo-x7k2p"},
		},
	}
	if diff := cmp.Diff(want, Collection(owner).Object); diff != "" {
		t.Errorf("Collection: -want, +got:\n%s", diff)
	}
	sc := StorageClass(owner, "platform-claim:team-a.demo")
	wantSC := map[string]any{
		"apiVersion": "kubernetes.crossplane.io/v1alpha2",
		"kind":       "Object",
		"metadata":   map[string]any{"name": "demo-x7k2p-storageclass", "labels": labels()},
		"spec": map[string]any{
			"forProvider": map[string]any{"manifest": map[string]any{
				"apiVersion": "storage.k8s.io/v1",
				"kind":       "StorageClass",
				"metadata": map[string]any{
					"name":        "linode-block-storage-platform",
					"annotations": map[string]any{"storageclass.kubernetes.io/is-default-class": "true"},
				},
				"provisioner":          "linodebs.csi.linode.com",
				"reclaimPolicy":        "Delete",
				"volumeBindingMode":    "Immediate",
				"allowVolumeExpansion": true,
				"parameters":           map[string]any{"linodebs.csi.linode.com/volumeTags": "platform-claim:team-a.demo"},
			}},
			"providerConfigRef": map[string]any{"name": "demo-x7k2p"},
		},
	}
	if diff := cmp.Diff(wantSC, sc.Object); diff != "" {
		t.Errorf("StorageClass: -want, +got:\n%s", diff)
	}
}

func member(manifest string) *fnv1.Resource {
	return &fnv1.Resource{Resource: resource.MustStructJSON(`{"apiVersion": "kubernetes.crossplane.io/v1alpha2", "kind": "Object",
		"status": {"atProvider": {"manifest": ` + manifest + `}}}`)}
}

func TestVolumes(t *testing.T) {
	got := Volumes([]*fnv1.Resource{
		member(`{"metadata": {"name": "storage-loki-0", "namespace": "observability"}, "spec": {"volumeName": "pvc-2"}}`),
		member(`{"metadata": {"name": "data", "namespace": "shop"}, "spec": {}}`),
		member(`{"metadata": {"name": "grafana", "namespace": "observability"}, "spec": {"volumeName": "pvc-1"}}`),
		// Not observed yet, or malformed: nothing to guard.
		{Resource: resource.MustStructJSON(`{"apiVersion": "kubernetes.crossplane.io/v1alpha2", "kind": "Object"}`)},
		member(`{"metadata": "storage", "spec": 3}`),
		nil,
	})
	want := []Volume{
		{Namespace: "observability", Name: "grafana", PV: "pvc-1"},
		{Namespace: "observability", Name: "storage-loki-0", PV: "pvc-2"},
		{Namespace: "shop", Name: "data"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Volumes: -want, +got:\n%s", diff)
	}
}

// NGINX Gateway Fabric's names: <gateway>-<class>, and past 63 characters
// the Gateway's name cut, a hash, and the class.
func TestGatewayServiceName(t *testing.T) {
	if got := GatewayServiceName("default", "nginx"); got != "default-nginx" {
		t.Errorf("GatewayServiceName(default, nginx) = %q", got)
	}
	long := strings.Repeat("g", 70)
	got := GatewayServiceName(long, "nginx")
	if len(got) != 63 || !strings.HasPrefix(got, strings.Repeat("g", 48)+"-") || !strings.HasSuffix(got, "-nginx") {
		t.Errorf("GatewayServiceName(70 characters, nginx) = %q (%d characters)", got, len(got))
	}
	// A cut that ends in dashes loses them (v2.6's double-dash fix).
	dashed := strings.Repeat("g", 46) + "--" + strings.Repeat("h", 20)
	if got := GatewayServiceName(dashed, "nginx"); !strings.HasPrefix(got, strings.Repeat("g", 46)+"-") || strings.Contains(got, "--") {
		t.Errorf("GatewayServiceName(cut at dashes, nginx) = %q", got)
	}
}
