package compose

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestIdentify(t *testing.T) {
	cases := map[string]struct {
		obj  map[string]any
		want Identity
	}{
		"Namespaced": {
			obj:  map[string]any{"apiVersion": "v1", "kind": "Secret", "metadata": map[string]any{"name": "db", "namespace": "shop"}},
			want: Identity{APIVersion: "v1", Kind: "Secret", Namespace: "shop", Name: "db"},
		},
		"Malformed": {
			obj:  map[string]any{"apiVersion": 1, "kind": []any{"Secret"}, "metadata": "db"},
			want: Identity{},
		},
		"Empty": {},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, Identify(tc.obj)); diff != "" {
				t.Errorf("Identify(...): -want, +got:\n%s", diff)
			}
		})
	}
}
