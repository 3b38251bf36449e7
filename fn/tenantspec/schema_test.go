package tenantspec

import (
	"testing"

	"github.com/platformcluster/function-platform-cluster/fn/spec"
	"github.com/platformcluster/function-platform-cluster/package/configuration"
)

// The function decodes a tenant with spec.DecodeAs, which applies no
// schema defaults: the tenant's defaults are DefaultQuota, DefaultLimits
// and ApplyDefaults. A default marker on these types would reach the XRD,
// so an API server would apply it while crossplane render would not.
func TestTenantXRDDeclaresNoDefaults(t *testing.T) {
	s, err := spec.SpecSchema(configuration.TenantXRD)
	if err != nil {
		t.Fatal(err)
	}
	var walk func(s *spec.Schema, path string)
	walk = func(s *spec.Schema, path string) {
		if s == nil {
			return
		}
		if s.Default != nil {
			t.Errorf("tenant-xrd.yaml defaults %s to %v: spec.DecodeAs applies no schema defaults, so decode tenants with the XRD's defaults as spec.Decode does platforms, or keep the default in ApplyDefaults", path, s.Default)
		}
		for k, p := range s.Properties {
			walk(p, path+"."+k)
		}
		walk(s.AdditionalProperties, path+"[*]")
		walk(s.Items, path+"[*]")
	}
	walk(s, "spec")
}
