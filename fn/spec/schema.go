package spec

import (
	"fmt"

	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/yaml"

	"github.com/platformcluster/function-platform-cluster/package/configuration"
)

// Schema is the part of an XRD's spec schema defaulting needs. The
// defaults it holds come from the markers on this package's types, through
// the generated XRD: the API server applies them to a claim, and Decode
// applies the same ones where no API server did (crossplane render).
type Schema struct {
	Properties           map[string]*Schema `json:"properties,omitempty"`
	AdditionalProperties *Schema            `json:"additionalProperties,omitempty"`
	Items                *Schema            `json:"items,omitempty"`
	Default              any                `json:"default,omitempty"`
	Nullable             bool               `json:"nullable,omitempty"`
}

// platform is the spec schema of the XPlatformCluster XRD.
var platform = mustSpecSchema(configuration.PlatformXRD)

// SpecSchema reads the schema of spec in an XRD's first version.
func SpecSchema(xrd []byte) (*Schema, error) {
	var x struct {
		Spec struct {
			Versions []struct {
				Schema struct {
					OpenAPIV3Schema Schema `json:"openAPIV3Schema"`
				} `json:"schema"`
			} `json:"versions"`
		} `json:"spec"`
	}
	if err := yaml.Unmarshal(xrd, &x); err != nil {
		return nil, err
	}
	if len(x.Spec.Versions) == 0 || x.Spec.Versions[0].Schema.OpenAPIV3Schema.Properties["spec"] == nil {
		return nil, fmt.Errorf("the XRD has no spec schema")
	}
	return x.Spec.Versions[0].Schema.OpenAPIV3Schema.Properties["spec"], nil
}

func mustSpecSchema(xrd []byte) *Schema {
	s, err := SpecSchema(xrd)
	if err != nil {
		panic(err)
	}
	return s
}

// WithDefaults returns v with s's defaults filled in as an API server's
// structural defaulting fills them: a property that is absent, or null
// and not nullable, takes its default, and defaults apply below a property
// only where the value (given or defaulted) is an object or array. v itself
// is not changed.
func (s *Schema) WithDefaults(v any) any {
	if s == nil {
		return v
	}
	switch x := v.(type) {
	case map[string]any:
		if s.Properties == nil && s.AdditionalProperties == nil {
			return v
		}
		out := make(map[string]any, len(x)+len(s.Properties))
		for k, val := range x {
			out[k] = val
		}
		for k, p := range s.Properties {
			if cur, set := out[k]; p.Default != nil && (!set || cur == nil && !p.Nullable) {
				out[k] = runtime.DeepCopyJSONValue(p.Default)
			}
		}
		for k, val := range out {
			if p, ok := s.Properties[k]; ok {
				out[k] = p.WithDefaults(val)
			} else {
				out[k] = s.AdditionalProperties.WithDefaults(val)
			}
		}
		return out
	case []any:
		if s.Items == nil {
			return v
		}
		out := make([]any, len(x))
		for i := range x {
			out[i] = s.Items.WithDefaults(x[i])
		}
		return out
	}
	return v
}
