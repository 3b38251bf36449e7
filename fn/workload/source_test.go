package workload

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/platformcluster/function-platform-cluster/fn/score"
	"github.com/platformcluster/function-platform-cluster/fn/spec"
	"github.com/platformcluster/function-platform-cluster/input/v1beta1"
)

func TestCollect(t *testing.T) {
	s := &spec.Spec{
		Workloads:  []spec.Workload{{Name: "inline", Score: map[string]any{"apiVersion": "score.dev/v1b1"}}},
		Components: spec.Components{UserApps: &spec.UserApps{Enabled: []string{"found", "absent", "empty", "broken"}}},
	}
	found := ConfigMaps{
		"found":  {"score.yaml": "apiVersion: score.dev/v1b1\nmetadata: {name: found}\n"},
		"empty":  {"score.yaml": ""},
		"broken": {"score.yaml": "containers: [unclosed"},
	}
	ws, missing := Collect(s, found, "team-a", "score.yaml")
	var names []string
	for _, w := range ws {
		names = append(names, w.Name+" from "+w.Source)
	}
	if diff := cmp.Diff([]string{"inline from spec.workloads[0].score", "found from ConfigMap team-a/found key score.yaml"}, names); diff != "" {
		t.Errorf("workloads: -want, +got:\n%s", diff)
	}
	var reasons []string
	for _, m := range missing {
		reasons = append(reasons, m.Field+" "+m.Name+": "+strings.SplitN(m.Reason, ":", 2)[0])
	}
	want := []string{
		"spec.components.userApps.enabled[1] absent: ConfigMap team-a/absent key score.yaml not found",
		"spec.components.userApps.enabled[2] empty: ConfigMap team-a/empty key score.yaml is missing or empty",
		"spec.components.userApps.enabled[3] broken: ConfigMap team-a/broken key score.yaml is not valid YAML",
	}
	if diff := cmp.Diff(want, reasons); diff != "" {
		t.Errorf("missing: -want, +got:\n%s", diff)
	}
	if _, missing := Collect(s, found, "", "score.yaml"); len(missing) != 4 {
		t.Errorf("without a namespace every reference must be reported, got %d", len(missing))
	}
}

// TestCollectDeploy: each workload gets the deploy-time values given for
// it, inline or by name for a referenced one, with the field that gives
// them.
func TestCollectDeploy(t *testing.T) {
	debug := "debug"
	s := &spec.Spec{
		Workloads: []spec.Workload{{Name: "inline", Score: map[string]any{"apiVersion": "score.dev/v1b1"},
			Image: "a:1", Containers: map[string]spec.ContainerImage{"side": {Image: "b:2"}},
			Environment: map[string]spec.EnvValue{"LOG": {Value: &debug}}}},
		Components: spec.Components{UserApps: &spec.UserApps{Enabled: []string{"found", "other"},
			Deploy: map[string]spec.Deploy{"found": {Image: "c:3"}}}},
	}
	found := ConfigMaps{
		"found": {"score.yaml": "apiVersion: score.dev/v1b1\n"},
		"other": {"score.yaml": "apiVersion: score.dev/v1b1\n"},
	}
	ws, _ := Collect(s, found, "team-a", "score.yaml")
	got := map[string]score.Deploy{}
	for _, w := range ws {
		got[w.Name] = w.Deploy
	}
	want := map[string]score.Deploy{
		"inline": {Field: "spec.workloads[0]", Image: "a:1", Containers: map[string]string{"side": "b:2"},
			Environment: map[string]score.EnvValue{"LOG": {Value: &debug}}},
		"found": {Field: "spec.components.userApps.deploy[found]", Image: "c:3"},
		"other": {Field: "spec.components.userApps.deploy[other]"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("deploy: -want, +got:\n%s", diff)
	}
}
func TestEnvironment(t *testing.T) {
	text := "info"
	got := Environment(map[string]spec.EnvValue{
		"LOG": {Value: &text},
		"KEY": {SecretKeyRef: &v1beta1.SecretKeyRef{Name: "api", Key: "key"}},
	})
	want := map[string]score.EnvValue{"LOG": {Value: &text}, "KEY": {SecretName: "api", SecretKey: "key"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if Environment(nil) != nil {
		t.Error("no values must map to nil, as the conversion cache keys on it")
	}
}
