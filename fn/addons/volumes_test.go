package addons

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/platformcluster/function-platform-cluster/fn/charts"
	"github.com/platformcluster/function-platform-cluster/input/v1beta1"
)

// Every add-on with volumes lets them go with it, and waits for the
// platform's StorageClass; the others do not wait for it.
func TestAddonVolumes(t *testing.T) {
	cs := resolve(t, v1beta1.Charts{})
	s := Selection{Observability: Observability{Loki: true, Tempo: true, Grafana: true, Alloy: true}, Headlamp: true, Harbor: true}
	got := map[string]map[string]any{}
	volumes := map[string]bool{}
	for _, it := range Plan(owner, s, Gateway{}, cs) {
		fp := it.Object["spec"].(map[string]any)["forProvider"].(map[string]any)
		v, _ := fp["values"].(map[string]any)
		got[it.Component] = v
		volumes[it.Component] = it.Volumes
	}
	want := map[string]bool{charts.Loki: true, charts.Tempo: true, charts.Grafana: true, charts.Alloy: false, charts.Headlamp: false, charts.Harbor: true}
	if diff := cmp.Diff(want, volumes); diff != "" {
		t.Errorf("add-ons that make volumes: -want, +got:\n%s", diff)
	}
	for _, c := range []struct {
		addon string
		path  []string
		want  any
	}{
		{charts.Loki, []string{"singleBinary", "persistence", "enableStatefulSetAutoDeletePVC"}, true},
		{charts.Loki, []string{"singleBinary", "persistence", "enabled"}, true},
		{charts.Tempo, []string{"persistence", "enableStatefulSetAutoDeletePVC"}, true},
		{charts.Tempo, []string{"persistence", "enabled"}, true},
		{charts.Harbor, []string{"persistence", "resourcePolicy"}, ""},
	} {
		var v any = got[c.addon]
		for _, k := range c.path {
			m, _ := v.(map[string]any)
			v = m[k]
		}
		if v != c.want {
			t.Errorf("%s values %v = %v, want %v", c.addon, c.path, v, c.want)
		}
	}
}
