// Package gatewayapi holds the standard-channel Gateway API CRDs the
// platform installs before its gateway controller, at the version go.mod
// pins for sigs.k8s.io/gateway-api.
//
// They are applied as one provider-kubernetes Object per CRD rather than
// as a Helm chart: Helm stores a release, whole chart included, in a
// Secret, and the CRDs' release is larger than the 1 MiB a Secret may hold.
// The copies in crds/ are the module's config/crd/standard files with the
// schemas' descriptions removed, which keeps every response and request
// that carries them three times smaller; the API server needs no
// description to validate, only kubectl explain loses its text.
package gatewayapi

import (
	"embed"
	"fmt"
	"path"
	"sort"
	"sync"

	"sigs.k8s.io/yaml"
)

// Version is the Gateway API release the CRDs come from: the one NGINX
// Gateway Fabric's pinned release installs (its
// config/crd/gateway-api/standard kustomization). TestCRDsMatchModule fails
// when it differs from the sigs.k8s.io/gateway-api version in go.mod.
const Version = "v1.4.1"

// Channel is the Gateway API release channel of the CRDs.
const Channel = "standard"

//go:embed crds/*.yaml
var files embed.FS

// CRD is one CustomResourceDefinition to install.
type CRD struct {
	// Plural is the CRD's resource name, e.g. httproutes.
	Plural string
	// Manifest is the CRD. It is shared by every call: never modify it.
	Manifest map[string]any
}

// CRDs returns the CRDs sorted by plural name. They are parsed once.
func CRDs() []CRD { return parsed() }

var parsed = sync.OnceValue(func() []CRD {
	entries, err := files.ReadDir("crds")
	if err != nil {
		panic(err) // embedded at build time; TestCRDs reads them all
	}
	out := make([]CRD, 0, len(entries))
	for _, e := range entries {
		c, err := parse(path.Join("crds", e.Name()))
		if err != nil {
			panic(err)
		}
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Plural < out[j].Plural })
	return out
})

func parse(name string) (CRD, error) {
	b, err := files.ReadFile(name)
	if err != nil {
		return CRD{}, err
	}
	m := map[string]any{}
	if err := yaml.Unmarshal(b, &m); err != nil {
		return CRD{}, fmt.Errorf("%s: %w", name, err)
	}
	spec, _ := m["spec"].(map[string]any)
	names, _ := spec["names"].(map[string]any)
	plural, _ := names["plural"].(string)
	if m["kind"] != "CustomResourceDefinition" || plural == "" {
		return CRD{}, fmt.Errorf("%s: not a CustomResourceDefinition with spec.names.plural", name)
	}
	return CRD{Plural: plural, Manifest: m}, nil
}

// Established is the CEL readiness query of a CRD's Object: the API server
// serves the CRD's kind, so objects of it can be created.
const Established = `has(object.status) && has(object.status.conditions) && object.status.conditions.exists(c, c.type == 'Established' && c.status == 'True')`
