package settings

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/platformcluster/function-platform-cluster/input/v1beta1"
)

// Every field of the Input's provisioner reaches score's, under the same
// JSON name: a field added to the Input and not mapped fails here.
func TestScoreProvisionersMapEveryField(t *testing.T) {
	class, id := "large", "main"
	in := v1beta1.ScoreProvisioner{
		URI: "template://a", Type: "postgres", Class: &class, ID: &id, Description: "d",
		Init: "i", State: "s", Shared: "sh", Outputs: "o", Manifests: "m",
		SupportedParams: []string{"p"}, ExpectedOutputs: []string{"e"},
	}
	want := map[string]any{}
	raw, _ := json.Marshal(in)
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatal(err)
	}
	if n := len(want); n != 12 {
		t.Fatalf("the Input's provisioner has %d fields set here, the test sets 12; set the new ones", n)
	}
	want["field"] = "workloads.provisioners[0]"
	got := map[string]any{}
	raw, _ = json.Marshal(scoreProvisioners([]v1beta1.ScoreProvisioner{in})[0])
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("score's provisioner (-Input's +score's):\n%s", diff)
	}
}
