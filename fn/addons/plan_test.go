package addons

import "testing"

func TestHarborAdminPasswordComesFromASecret(t *testing.T) {
	if v := harborValues(""); v["existingSecretAdminPassword"] != nil {
		t.Errorf("no Secret named: want the chart's default, got %v", v)
	}
	v := harborValues("harbor-admin")
	if v["existingSecretAdminPassword"] != "harbor-admin" || v["existingSecretAdminPasswordKey"] != "HARBOR_ADMIN_PASSWORD" {
		t.Errorf("want the named Secret wired, got %v", v)
	}
	if _, ok := v["harborAdminPassword"]; ok {
		t.Error("the admin password must never be a value")
	}
}
