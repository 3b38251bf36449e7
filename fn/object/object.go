// Package object wraps manifests for the new cluster in provider-kubernetes
// Objects, which is how everything the function puts on the cluster other
// than Helm releases reaches it: the Gateway API CRDs' installer Job, the
// default Gateway, routes, certificates and their issuer, the teardown
// guards and StorageClass, tenants' namespaces and the Score workloads.
package object

import (
	"cmp"

	"github.com/platformcluster/function-platform-cluster/fn/compose"
	"github.com/platformcluster/function-platform-cluster/fn/providerconfig"
)

// APIVersion is the provider-kubernetes Object version the function
// composes.
const APIVersion = "kubernetes.crossplane.io/v1alpha2"

// Wrap wraps manifest in an Object named after the owner's XR and name,
// applied through the owner's kubernetes ProviderConfig. celQuery, when set,
// decides readiness from the manifest's own status; otherwise the Object is
// ready once applied.
func Wrap(o compose.Owner, key, name string, manifest map[string]any, celQuery, component string) compose.Resource {
	obj := compose.Object(APIVersion, "Object", o.Name(name))
	sp := map[string]any{
		"forProvider":       map[string]any{"manifest": manifest},
		"providerConfigRef": map[string]any{"name": cmp.Or(o.ProviderConfig, providerconfig.Name(o.XR))},
	}
	if celQuery != "" {
		sp["readiness"] = map[string]any{"policy": "DeriveFromCelQuery", "celQuery": celQuery}
	}
	obj["spec"] = sp
	o.Label(obj, component)
	return compose.Resource{Key: key, Object: obj}
}
