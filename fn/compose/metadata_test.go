package compose

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestInheritedLabels(t *testing.T) {
	got := InheritedLabels(map[string]string{
		"app.kubernetes.io/instance":  "claims",
		"argocd.argoproj.io/instance": "claims",
		"crossplane.io/claim-name":    "demo",
		"crossplane.io/composite":     "demo-x7k2p",
		"pkg.crossplane.io/revision":  "r1",
		"team":                        "platform",
		"app.kubernetes.io/part-of":   "platform",
	})
	want := map[string]string{"team": "platform", "app.kubernetes.io/part-of": "platform"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("InheritedLabels(...): -want, +got:\n%s", diff)
	}
}
