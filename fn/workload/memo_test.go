package workload

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/platformcluster/function-platform-cluster/fn/score"
)

// The memo gives what the generator builds, for its own secrets and image
// only, and stays within its bound.
func TestMemo(t *testing.T) {
	m := &memo{items: map[string][]score.Manifest{}}
	g := generator{secrets: []score.GeneratedSecret{{Namespace: "a", Name: "db", Keys: []string{"password"}}}}
	for range 2 {
		if diff := cmp.Diff(g.manifests("img"), m.manifests(g, "img")); diff != "" {
			t.Fatalf("(-built +memo):\n%s", diff)
		}
	}
	if diff := cmp.Diff(g.manifests("other"), m.manifests(g, "other")); diff != "" {
		t.Errorf("another image (-built +memo):\n%s", diff)
	}
	h := generator{secrets: []score.GeneratedSecret{{Namespace: "a", Name: "db", Keys: []string{"password"}, Length: 16}}}
	if diff := cmp.Diff(h.manifests("img"), m.manifests(h, "img")); diff != "" {
		t.Errorf("other secrets (-built +memo):\n%s", diff)
	}
	for i := range 2 * maxMemo {
		m.manifests(g, fmt.Sprint(i))
	}
	if len(m.items) > maxMemo {
		t.Errorf("%d items kept, at most %d", len(m.items), maxMemo)
	}
}
