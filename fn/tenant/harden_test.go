package tenant

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/platformcluster/function-platform-cluster/fn/compose"
	"github.com/platformcluster/function-platform-cluster/fn/object"
)

func TestHarden(t *testing.T) {
	deployment := func(container map[string]any, pod map[string]any) map[string]any {
		spec := map[string]any{"containers": []any{container}}
		for k, v := range pod {
			spec[k] = v
		}
		return map[string]any{"kind": "Deployment", "spec": map[string]any{"template": map[string]any{"spec": spec}}}
	}
	restrictedContainer := map[string]any{"allowPrivilegeEscalation": false, "capabilities": map[string]any{"drop": []any{"ALL"}}}
	restrictedPod := map[string]any{"runAsNonRoot": true, "seccompProfile": map[string]any{"type": "RuntimeDefault"}}
	cases := map[string]struct {
		level     PodSecurity
		manifest  map[string]any
		want      map[string]any
		unchanged bool
	}{
		"RestrictedFillsWhatIsLeftOut": {
			level:    Restricted,
			manifest: deployment(map[string]any{"name": "main"}, nil),
			want:     deployment(map[string]any{"name": "main", "securityContext": restrictedContainer}, map[string]any{"securityContext": restrictedPod}),
		},
		"RestrictedKeepsWhatIsSet": {
			level: Restricted,
			manifest: deployment(map[string]any{"name": "main", "securityContext": map[string]any{"allowPrivilegeEscalation": true}},
				map[string]any{"securityContext": map[string]any{"runAsNonRoot": false, "fsGroup": int64(1000)}}),
			want: deployment(map[string]any{"name": "main", "securityContext": map[string]any{"allowPrivilegeEscalation": true, "capabilities": map[string]any{"drop": []any{"ALL"}}}},
				map[string]any{"securityContext": map[string]any{"runAsNonRoot": false, "fsGroup": int64(1000), "seccompProfile": map[string]any{"type": "RuntimeDefault"}}}),
		},
		"BaselineLeavesItAlone": {
			level: Baseline, manifest: deployment(map[string]any{"name": "main"}, nil), unchanged: true,
		},
		"NotAPod": {
			level: Restricted, manifest: map[string]any{"kind": "Service", "spec": map[string]any{}}, unchanged: true,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			before := deepCopy(tc.manifest)
			r := object.Wrap(compose.Owner{XR: "t"}, "k", "k", tc.manifest, "", "")
			got := Harden(r, tc.level)
			if diff := cmp.Diff(before, tc.manifest); diff != "" {
				t.Errorf("Harden changed its input: -before, +after:\n%s", diff)
			}
			want := tc.want
			if tc.unchanged {
				want = before.(map[string]any)
			}
			m := got.Object["spec"].(map[string]any)["forProvider"].(map[string]any)["manifest"]
			if diff := cmp.Diff(want, m); diff != "" {
				t.Errorf("Harden(...) manifest: -want, +got:\n%s", diff)
			}
		})
	}
}
