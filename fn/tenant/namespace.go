package tenant

import (
	"slices"
	"strings"

	"github.com/platformcluster/function-platform-cluster/fn/compose"
	"github.com/platformcluster/function-platform-cluster/fn/object"
	"github.com/platformcluster/function-platform-cluster/fn/protection"
)

// LabelTenant marks a tenant's Namespaces with "<claim namespace>/<claim
// name>" turned into a label value ("<namespace>.<name>").
const LabelTenant = "platform.fpc.dev/tenant"

// Component is the status component of everything a tenant composes
// around its workloads.
const Component = "tenancy"

// NamespaceKey is the composition resource name of a namespace's Object.
func NamespaceKey(ns string) string { return "ns-" + ns }

// NamespaceObjectName names the Object of a tenant's namespace after the
// platform and the namespace, not the tenant: it is the lock that keeps a
// namespace one tenant's. Two tenants on one platform asking for one
// namespace compose one Object name; the API server creates it once, and
// Crossplane refuses to apply an Object another XR controls, so the second
// tenant can never take it over.
func NamespaceObjectName(platformXR, ns string) string {
	return compose.Name(platformXR, "tenant-ns-"+ns)
}

// PodSecurity is the Pod Security admission level of a tenant's
// namespaces, enforced, audited and warned about.
type PodSecurity string

// Namespace builds the Object of one of a tenant's namespaces, labelled for
// Pod Security admission.
func Namespace(o compose.Owner, platformXR, ns, tenant string, level PodSecurity) compose.Resource {
	labels := map[string]any{LabelTenant: tenant}
	for _, mode := range []string{"enforce", "audit", "warn"} {
		labels["pod-security.kubernetes.io/"+mode] = string(level)
	}
	m := compose.Object("v1", "Namespace", ns)
	m["metadata"].(map[string]any)["labels"] = labels
	r := object.Wrap(o, NamespaceKey(ns), NamespaceKey(ns), m, "", Component)
	r.Object["metadata"].(map[string]any)["name"] = NamespaceObjectName(platformXR, ns)
	return r
}

// HostKey is the composition resource name of the tenant's host lock.
const HostKey = "host"

// HostObjectName names the Object that holds a tenant's host on a
// platform, after the platform and the host, as NamespaceObjectName does a
// namespace: two tenants asking for one host (two claims of one name in
// different namespaces default to the same) compose one Object name, and
// only one can hold it.
func HostObjectName(platformXR, host string) string {
	return compose.Name(platformXR, "tenant-host-"+host)
}

// Host builds the tenant's host lock: a ConfigMap in its first namespace
// that says which host the tenant's routes are under, and lists the hosts
// of its routes (sorted), which the platform publishes (publish.go).
func Host(o compose.Owner, platformXR, ns, host string, routes []string) compose.Resource {
	m := manifest("v1", "ConfigMap", ns, "tenant-host")
	data := map[string]any{"host": host}
	if len(routes) > 0 {
		data[routesKey] = strings.Join(slices.Sorted(slices.Values(routes)), "\n")
	}
	m["data"] = data
	r := Inside(o, HostKey, m)
	md := r.Object["metadata"].(map[string]any)
	md["name"] = HostObjectName(platformXR, host)
	md["labels"].(map[string]any)[HostsLabel] = HostsOf(platformXR)
	return r
}

// PlatformRef is the Ref of a platform's XR, for ClusterUsages.
func PlatformRef(p Platform) protection.Ref {
	return protection.Ref{Key: "platform", APIVersion: "platform.fpc.dev/v1alpha1", Kind: "XPlatformCluster", Name: p.XR}
}

// Inside wraps a manifest that lives in one of the tenant's namespaces.
func Inside(o compose.Owner, key string, m map[string]any) compose.Resource {
	return object.Wrap(o, key, key, m, "", Component)
}

func manifest(apiVersion, kind, ns, name string) map[string]any {
	m := compose.Object(apiVersion, kind, name)
	m["metadata"].(map[string]any)["namespace"] = ns
	return m
}
