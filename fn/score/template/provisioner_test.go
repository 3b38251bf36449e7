package template

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/platformcluster/function-platform-cluster/fn/score/provision"
)

// New keeps the provisioners that can run and says why it ignores the
// others; those it keeps share their resources by id and check params
// only when they declare them.
func TestNew(t *testing.T) {
	class := "large"
	ps, problems := New([]Provisioner{
		{URI: "template://a", Type: "postgres", Class: &class, SupportedParams: []string{"size"}},
		{Type: "redis", Field: "workloads.provisioners[1]"},
		{URI: "template://c"},
		{URI: "cmd://d", Type: "mysql"},
		{URI: "template://e", Type: "dns"},
	})
	want := []Problem{
		{Field: "workloads.provisioners[1].uri", Message: "is required; the provisioner is ignored"},
		{Field: "provisioners[2].type", Message: "is required; provisioner template://c is ignored"},
		{Field: "provisioners[3].uri", Message: "cmd://d is not a template:// provisioner; a composition function cannot run commands, so it is ignored"},
	}
	if diff := cmp.Diff(want, problems); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	var specs []provision.Spec
	for _, p := range ps {
		specs = append(specs, p.Spec())
	}
	wantSpecs := []provision.Spec{
		{URI: "template://a", Type: "postgres", Class: &class, Params: []string{"size"}, CheckParams: true, Sharable: true},
		{URI: "template://e", Type: "dns", Sharable: true},
	}
	if diff := cmp.Diff(wantSpecs, specs); diff != "" {
		t.Errorf("specs (-want +got):\n%s", diff)
	}
}
