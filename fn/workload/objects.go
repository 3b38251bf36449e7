package workload

import (
	"strings"

	"github.com/platformcluster/function-platform-cluster/fn/compose"
	"github.com/platformcluster/function-platform-cluster/fn/object"
	"github.com/platformcluster/function-platform-cluster/fn/score"
)

// readiness decides when an Object counts as ready from the state of what
// it wraps, so a workload is ready when it serves, not when it was applied.
// Kinds not listed are ready once created.
var readiness = map[string]string{
	"Deployment":  `has(object.status.availableReplicas) && object.status.availableReplicas >= object.spec.replicas`,
	"StatefulSet": `has(object.status.readyReplicas) && object.status.readyReplicas >= object.spec.replicas`,
	"Job":         `has(object.status.succeeded) && object.status.succeeded >= 1`,
	"HTTPRoute":   object.RouteAccepted,
}

// objectKey is the composition resource name of a manifest's Object.
// Kind and namespace are part of it because Score names repeat across them;
// the namespace is left out when it is the workload's own (home), which it
// nearly always is.
func objectKey(prefix, home string, id compose.Identity) string {
	parts := []string{prefix, strings.ToLower(id.Kind)}
	if id.Namespace != "" && id.Namespace != home {
		parts = append(parts, id.Namespace)
	}
	return strings.Join(append(parts, id.Name), "-")
}

// wrap wraps one manifest in an Object.
func wrap(o compose.Owner, prefix, home string, m score.Manifest, component string) compose.Resource {
	id := compose.Identify(m)
	key := objectKey(prefix, home, id)
	return object.Wrap(o, key, key, m, readiness[id.Kind], component)
}

// IsLoadBalancer reports whether an Object wraps a Service of type
// LoadBalancer, whose NodeBalancer the cloud controller deletes only while
// the cluster exists.
func IsLoadBalancer(r compose.Resource) bool {
	sp, _ := r.Object["spec"].(map[string]any)
	fp, _ := sp["forProvider"].(map[string]any)
	m, _ := fp["manifest"].(map[string]any)
	if m == nil || m["kind"] != "Service" {
		return false
	}
	ms, _ := m["spec"].(map[string]any)
	return ms["type"] == "LoadBalancer"
}
