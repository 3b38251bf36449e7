package addons

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/platformcluster/function-platform-cluster/input/v1beta1"
)

func TestHarborAdminPasswordComesFromASecret(t *testing.T) {
	cs := resolve(t, v1beta1.Charts{})
	release := func(s Selection) map[string]any {
		for _, it := range Plan(owner, s, Gateway{}, cs) {
			if it.Key == ReleaseKey("harbor") {
				return it.Object["spec"].(map[string]any)["forProvider"].(map[string]any)
			}
		}
		t.Fatal("no Harbor release")
		return nil
	}
	fp := release(Selection{Harbor: true})
	v := fp["values"].(map[string]any)
	if v["existingSecretAdminPassword"] != HarborAdminSecret || v["existingSecretAdminPasswordKey"] != HarborAdminKey || fp["set"] != nil {
		t.Errorf("no Secret named: want the generated one, got %v, set %v", v, fp["set"])
	}
	fp = release(Selection{Harbor: true, HarborAdminSecret: "harbor-admin", SecretNamespace: "crossplane-system"})
	v = fp["values"].(map[string]any)
	want := []any{map[string]any{"name": "harborAdminPassword", "valueFrom": map[string]any{"secretKeyRef": map[string]any{
		"name": "harbor-admin", "namespace": "crossplane-system", "key": HarborAdminKey,
	}}}}
	if diff := cmp.Diff(want, fp["set"]); diff != "" || v["existingSecretAdminPassword"] != nil {
		t.Errorf("a named Secret: want the password set from it, got values %v, set: -want, +got:\n%s", v, diff)
	}
	if _, ok := v["harborAdminPassword"]; ok {
		t.Error("the admin password must never be a value")
	}
}

// TestHarborWaitsForItsSecrets: Harbor's release comes after the generator
// Job that creates its Secrets, and is held when the Input's admin Secret
// is wrong.
func TestHarborWaitsForItsSecrets(t *testing.T) {
	cs := resolve(t, v1beta1.Charts{})
	items := Plan(owner, Selection{Harbor: true, HarborAdminProblem: "missing"}, Gateway{}, cs)
	var kinds []string
	var rel Item
	for _, it := range items {
		if it.Key == ReleaseKey("harbor") {
			rel = it
			continue
		}
		kinds = append(kinds, it.Object["spec"].(map[string]any)["forProvider"].(map[string]any)["manifest"].(map[string]any)["kind"].(string)+"/"+it.Key)
	}
	if rel.Blocked != "missing" || len(rel.After) != 1 || rel.After[0] != "addon-harbor-job-gen-harbor-database" || rel.Uses[0] != HarborNamespaceKey {
		t.Errorf("release: after %v, uses %v, blocked %q", rel.After, rel.Uses, rel.Blocked)
	}
	if len(kinds) < 3 || !strings.HasPrefix(kinds[0], "Namespace/") {
		t.Errorf("before the release: %v", kinds)
	}
}

func TestHarborExternalURL(t *testing.T) {
	cs := resolve(t, v1beta1.Charts{Harbor: &v1beta1.Chart{Namespace: "registry"}})
	cases := map[string]struct{ domain, want string }{
		"WorkloadsDomain": {domain: "apps.example.com", want: "https://harbor.apps.example.com"},
		"NoDomain":        {want: "http://harbor.registry.svc.cluster.local"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			items := Plan(owner, Selection{Harbor: true, Domain: tc.domain}, Gateway{}, cs)
			v := items[len(items)-1].Object["spec"].(map[string]any)["forProvider"].(map[string]any)["values"].(map[string]any)
			if v["externalURL"] != tc.want {
				t.Errorf("externalURL: want %s, got %v", tc.want, v["externalURL"])
			}
		})
	}
}
