package compose

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestOwnerLabel(t *testing.T) {
	o := Owner{XR: "demo-x7k2p", Cluster: "demo", Labels: map[string]string{"team": "platform"}}
	obj := Object("v1", "ConfigMap", o.Name("settings"))
	obj["metadata"].(map[string]any)["labels"] = map[string]any{"kept": "yes"}
	o.Label(obj, "lke")
	want := map[string]any{
		"name": "demo-x7k2p-settings",
		"labels": map[string]any{
			"kept": "yes", "team": "platform",
			LabelCluster: "demo", LabelComponent: "lke",
		},
	}
	if diff := cmp.Diff(want, obj["metadata"]); diff != "" {
		t.Errorf("Label(...): -want, +got:\n%s", diff)
	}

	bare := map[string]any{}
	o.Label(bare, "")
	want = map[string]any{"labels": map[string]any{"team": "platform", LabelCluster: "demo"}}
	if diff := cmp.Diff(want, bare["metadata"]); diff != "" {
		t.Errorf("Label(...) without metadata or component: -want, +got:\n%s", diff)
	}
}
