package score

import (
	"testing"

	"github.com/platformcluster/function-platform-cluster/fn/score/manifest"
)

// One namespace for all (Options.Namespace, a tenant's): every manifest is
// in it, no Namespace is made for it, and a shared database serves its
// users from it without copies of its Secret.
func TestConvertIntoOneNamespace(t *testing.T) {
	const doc = `
apiVersion: score.dev/v1b1
metadata: {name: %s}
containers:
  main:
    image: nginx
    variables: {DB: "${resources.db.password}"}
resources:
  db: {type: postgres, id: orders}
`
	ws := []Workload{workload(t, sprintf(doc, "api")), workload(t, sprintf(doc, "worker"))}
	opts := testOpts
	opts.Namespace = "shop"
	out := Convert(ws, opts)
	if len(out.Problems) > 0 {
		t.Fatalf("Convert(...): unexpected problems %v", out.Problems)
	}
	if len(out.Workloads) != 2 || len(out.Shared) == 0 {
		t.Fatalf("Convert(...): want 2 workloads and shared manifests, got %d and %d", len(out.Workloads), len(out.Shared))
	}
	all := append([]Manifest{}, out.Shared...)
	for _, wo := range out.Workloads {
		if wo.Namespace != "shop" {
			t.Errorf("workload %s: Namespace want shop, got %q", wo.Name, wo.Namespace)
		}
		all = append(all, wo.Manifests...)
		for _, s := range wo.Secrets {
			t.Errorf("workload %s: want no Secret copies, got %s/%s", wo.Name, s.Namespace, s.Name)
		}
	}
	for _, m := range all {
		kind, ns, name := manifest.Key(m)
		if kind == "Namespace" {
			t.Errorf("want no Namespace manifest, got %s", name)
		}
		if ns != "shop" {
			t.Errorf("%s %s: namespace want shop, got %q", kind, name, ns)
		}
	}
	for _, s := range out.SharedSecrets {
		if s.Namespace != "shop" {
			t.Errorf("shared Secret %s: namespace want shop, got %q", s.Name, s.Namespace)
		}
	}
}
