// Package gatewayapi holds the standard-channel Gateway API CRDs the
// platform installs before its gateway controller, at the version go.mod
// pins for sigs.k8s.io/gateway-api.
//
// The function does not compose the CRDs themselves: a Job on the new
// cluster applies the release's install file for Version (InstallURL) and
// waits until every CRD is Established (fn/addons/crds.go). The copies in
// crds/ (the module's config/crd/standard CRDs, schema descriptions
// removed) name the CRDs the Job waits for, and stand in for the Job where
// nothing runs it (test/live).
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
const Version = "v1.5.1"

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

// InstallURL is the release's install file for Channel, which the
// installer Job applies on the new cluster: every CRD in crds/ and, from
// v1.5 on, the safe-upgrades ValidatingAdmissionPolicy and its binding
// (hack/build-install-yaml.sh concatenates config/crd/<channel>/gateway*.yaml;
// NGINX Gateway Fabric's config/crd/gateway-api/standard kustomization
// installs the same files).
func InstallURL() string {
	return "https://github.com/kubernetes-sigs/gateway-api/releases/download/" + Version + "/" + Channel + "-install.yaml"
}

// Names returns the name of each CRD, e.g. httproutes.gateway.networking.k8s.io,
// in the order of CRDs.
func Names() []string {
	crds := CRDs()
	out := make([]string, 0, len(crds))
	for _, c := range crds {
		out = append(out, c.Manifest["metadata"].(map[string]any)["name"].(string))
	}
	return out
}
