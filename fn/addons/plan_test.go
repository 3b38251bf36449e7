package addons

import (
	"testing"

	"github.com/platformcluster/function-platform-cluster/input/v1beta1"
)

func TestHarborAdminPasswordComesFromASecret(t *testing.T) {
	if v := harborValues("", "http://harbor"); v["existingSecretAdminPassword"] != nil {
		t.Errorf("no Secret named: want the chart's default, got %v", v)
	}
	v := harborValues("harbor-admin", "http://harbor")
	if v["existingSecretAdminPassword"] != "harbor-admin" || v["existingSecretAdminPasswordKey"] != "HARBOR_ADMIN_PASSWORD" {
		t.Errorf("want the named Secret wired, got %v", v)
	}
	if _, ok := v["harborAdminPassword"]; ok {
		t.Error("the admin password must never be a value")
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
			v := items[0].Object["spec"].(map[string]any)["forProvider"].(map[string]any)["values"].(map[string]any)
			if v["externalURL"] != tc.want {
				t.Errorf("externalURL: want %s, got %v", tc.want, v["externalURL"])
			}
		})
	}
}
