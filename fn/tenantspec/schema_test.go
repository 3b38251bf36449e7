package tenantspec

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"

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

// The tenant XRD tells users the quota and limits a tenant gets when it
// sets none; those are DefaultQuota and DefaultLimits, so each field's
// description must name its default value.
func TestDescriptionsNameTheDefaults(t *testing.T) {
	var xrd struct {
		Spec struct {
			Versions []struct {
				Schema struct {
					OpenAPIV3Schema struct {
						Properties map[string]struct {
							Properties map[string]struct {
								Properties map[string]struct {
									Description string `json:"description"`
								} `json:"properties"`
							} `json:"properties"`
						} `json:"properties"`
					} `json:"openAPIV3Schema"`
				} `json:"schema"`
			} `json:"versions"`
		} `json:"spec"`
	}
	if err := yaml.Unmarshal(configuration.TenantXRD, &xrd); err != nil {
		t.Fatal(err)
	}
	props := xrd.Spec.Versions[0].Schema.OpenAPIV3Schema.Properties["spec"].Properties
	for field, defaults := range map[string]any{"quota": DefaultQuota, "limits": DefaultLimits} {
		raw, err := json.Marshal(defaults)
		if err != nil {
			t.Fatal(err)
		}
		var values map[string]any
		if err := json.Unmarshal(raw, &values); err != nil {
			t.Fatal(err)
		}
		for k, v := range values {
			d := props[field].Properties[k].Description
			if !strings.Contains(d, fmt.Sprint(v)) {
				t.Errorf("spec.%s.%s defaults to %v, but its description says %q", field, k, v, d)
			}
		}
	}
}
