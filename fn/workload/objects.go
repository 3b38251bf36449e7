package workload

import (
	"strings"

	"github.com/platformcluster/function-platform-cluster/fn/addons"
	"github.com/platformcluster/function-platform-cluster/fn/compose"
	"github.com/platformcluster/function-platform-cluster/fn/score"
)

// readiness decides when an Object counts as ready from the state of what
// it wraps, so a workload is ready when it serves, not when it was applied.
// Kinds not listed are ready once created.
var readiness = map[string]string{
	"Deployment":  `has(object.status.availableReplicas) && object.status.availableReplicas >= object.spec.replicas`,
	"StatefulSet": `has(object.status.readyReplicas) && object.status.readyReplicas >= object.spec.replicas`,
	"Job":         `has(object.status.succeeded) && object.status.succeeded >= 1`,
	"HTTPRoute":   `has(object.status.parents) && object.status.parents.exists(p, p.conditions.exists(c, c.type == 'Accepted' && c.status == 'True'))`,
}

// objectKey is the composition resource name of a manifest's Object.
// Kind and namespace are part of it because Score names repeat across them;
// the namespace is left out when it is the workload's own (home), which it
// nearly always is.
func objectKey(prefix, home string, m score.Manifest) string {
	kind, _ := m["kind"].(string)
	md, _ := m["metadata"].(map[string]any)
	name, _ := md["name"].(string)
	ns, _ := md["namespace"].(string)
	parts := []string{prefix, strings.ToLower(kind)}
	if ns != "" && ns != home {
		parts = append(parts, ns)
	}
	return strings.Join(append(parts, name), "-")
}

// object wraps one manifest.
func object(prefix, home string, m score.Manifest, ap addons.Params, component string) compose.Resource {
	key := objectKey(prefix, home, m)
	kind, _ := m["kind"].(string)
	return addons.Object(key, key, m, readiness[kind], ap, component)
}
