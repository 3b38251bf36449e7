package addons

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/platformcluster/function-platform-cluster/fn/charts"
	"github.com/platformcluster/function-platform-cluster/fn/compose"
	"github.com/platformcluster/function-platform-cluster/input/v1beta1"
)

var owner = compose.Owner{XR: "demo-x7k2p", Cluster: "demo"}

func resolve(t *testing.T, in v1beta1.Charts) map[string]charts.Chart {
	t.Helper()
	cs, err := charts.Resolve(in)
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

func TestRelease(t *testing.T) {
	cs := resolve(t, v1beta1.Charts{Headlamp: &v1beta1.Chart{Version: "0.45.0", Namespace: "tools"}})
	got := Release(owner, charts.Headlamp, cs[charts.Headlamp], map[string]any{"replicaCount": int64(1)})
	want := map[string]any{
		"apiVersion": "helm.crossplane.io/v1beta1",
		"kind":       "Release",
		"metadata": map[string]any{
			"name":        "demo-x7k2p-headlamp",
			"annotations": map[string]any{"crossplane.io/external-name": "headlamp"},
			"labels":      map[string]any{"platform.fpc.dev/cluster": "demo", "platform.fpc.dev/component": "headlamp"},
		},
		"spec": map[string]any{
			"forProvider": map[string]any{
				"chart": map[string]any{
					"repository": "https://kubernetes-sigs.github.io/headlamp/",
					"name":       "headlamp",
					"version":    "0.45.0",
				},
				"namespace":   "tools",
				"wait":        true,
				"waitTimeout": "10m",
				"values":      map[string]any{"replicaCount": int64(1)},
			},
			"providerConfigRef": map[string]any{"name": "demo-x7k2p"},
			"rollbackLimit":     int64(3),
		},
	}
	if got.Key != "release-headlamp" {
		t.Errorf("Key: want release-headlamp, got %s", got.Key)
	}
	if diff := cmp.Diff(want, got.Object); diff != "" {
		t.Errorf("Release(...): -want, +got:\n%s", diff)
	}
}

func TestInputValuesOverrideFunctionValues(t *testing.T) {
	in := v1beta1.Charts{Loki: &v1beta1.Chart{}}
	in.Loki.Values = rawJSON(t, `{"singleBinary": {"persistence": {"size": "50Gi"}}, "extra": true}`)
	cs := resolve(t, in)
	got := Release(owner, charts.Loki, cs[charts.Loki], lokiValues()).Object["spec"].(map[string]any)["forProvider"].(map[string]any)["values"].(map[string]any)
	sb := got["singleBinary"].(map[string]any)
	if diff := cmp.Diff(map[string]any{"enabled": true, "size": "50Gi"}, sb["persistence"]); diff != "" {
		t.Errorf("persistence: the override must win and sibling keys survive: -want, +got:\n%s", diff)
	}
	if sb["replicas"] != int64(1) || got["extra"] != true {
		t.Errorf("merge lost keys: %v", got)
	}
}

func rawJSON(t *testing.T, s string) *runtime.RawExtension {
	t.Helper()
	return &runtime.RawExtension{Raw: []byte(s)}
}
