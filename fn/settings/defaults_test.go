package settings

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/yaml"

	"github.com/platformcluster/function-platform-cluster/fn/spec"
	"github.com/platformcluster/function-platform-cluster/input/v1beta1"
)

// schema reads the openAPIV3Schema of the first version of the first
// document in a CRD or XRD file.
func schema(t *testing.T, path string) map[string]any {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc, _, _ := strings.Cut(strings.TrimPrefix(string(raw), "---\n"), "\n---")
	var crd struct {
		Spec struct {
			Versions []struct {
				Schema struct {
					OpenAPIV3Schema map[string]any `json:"openAPIV3Schema"`
				} `json:"schema"`
			} `json:"versions"`
		} `json:"spec"`
	}
	if err := yaml.Unmarshal([]byte(doc), &crd); err != nil {
		t.Fatal(err)
	}
	if len(crd.Spec.Versions) == 0 {
		t.Fatalf("%s: no versions", path)
	}
	return crd.Spec.Versions[0].Schema.OpenAPIV3Schema
}

// schemaDefaults returns every default in a schema by its field path.
func schemaDefaults(s map[string]any, path []string, out map[string]any) {
	if d, ok := s["default"]; ok {
		out[strings.Join(path, ".")] = d
	}
	props, _ := s["properties"].(map[string]any)
	for name, p := range props {
		sub, _ := p.(map[string]any)
		schemaDefaults(sub, append(append([]string{}, path...), name), out)
	}
}

// nest returns {a: {b: {c: v}}} for the path a.b.c.
func nest(path string, v any) map[string]any {
	parts := strings.Split(path, ".")
	m := map[string]any{parts[len(parts)-1]: v}
	for i := len(parts) - 2; i >= 0; i-- {
		m = map[string]any{parts[i]: m}
	}
	return m
}

// An API server that applied the Input CRD's defaults must leave the
// function with what it resolves for an empty Input.
func TestInputCRDDefaultsAreTheBuiltInDefaults(t *testing.T) {
	builtIn, err := Resolve(&v1beta1.Input{})
	if err != nil {
		t.Fatal(err)
	}
	defaults := map[string]any{}
	schemaDefaults(schema(t, "../../package/function/input/platformcluster.fn.crossplane.io_inputs.yaml"), nil, defaults)
	if len(defaults) == 0 {
		t.Fatal("the Input CRD declares no defaults; is the path right?")
	}
	for path, d := range defaults {
		raw, err := json.Marshal(nest(path, d))
		if err != nil {
			t.Fatal(err)
		}
		in := &v1beta1.Input{}
		if err := json.Unmarshal(raw, in); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		got, err := Resolve(in)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if diff := cmp.Diff(builtIn, got); diff != "" {
			t.Errorf("Input CRD default %s: %v differs from the built-in default: -built-in, +CRD:\n%s", path, d, diff)
		}
	}
}

// A claim that names no region or Kubernetes version gets the XRD's
// defaults, and those must be what the built-in lists offer, or such a
// claim would be refused.
func TestXRDDefaultsAreOffered(t *testing.T) {
	s, errs := spec.Decode(map[string]any{"clusterSpec": map[string]any{}})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if c := s.ClusterSpec; !slices.Contains(Regions, c.Region) || !slices.Contains(StandardKubernetesVersions, c.KubernetesVersion) {
		t.Errorf("the XRD defaults region %q and Kubernetes version %q; the built-in lists offer %v and %v",
			c.Region, c.KubernetesVersion, Regions, StandardKubernetesVersions)
	}
}
