package addons

import (
	"github.com/platformcluster/function-platform-cluster/fn/compose"
)

// ObjectAPIVersion is the provider-kubernetes Object version the function
// composes.
const ObjectAPIVersion = "kubernetes.crossplane.io/v1alpha2"

// Object wraps a manifest for the new cluster in a provider-kubernetes
// Object. celQuery, when set, decides readiness from the manifest's own
// status; otherwise the Object is ready once applied.
func Object(key, name string, manifest map[string]any, celQuery string, p Params, component string) compose.Resource {
	obj := compose.Object(ObjectAPIVersion, "Object", compose.Name(p.XRName, name))
	sp := map[string]any{
		"forProvider":       map[string]any{"manifest": manifest},
		"providerConfigRef": map[string]any{"name": p.ProviderConfig},
	}
	if celQuery != "" {
		sp["readiness"] = map[string]any{"policy": "DeriveFromCelQuery", "celQuery": celQuery}
	}
	obj["spec"] = sp
	compose.Labels(obj, p.Labels, p.Cluster, component)
	return compose.Resource{Key: key, Object: obj}
}
