package tenant

import (
	"strconv"

	"github.com/platformcluster/function-platform-cluster/fn/compose"
	"github.com/platformcluster/function-platform-cluster/fn/tenantspec"
)

// QuotaKey and LimitsKey are the composition resource names of a
// namespace's ResourceQuota and LimitRange.
func QuotaKey(ns string) string  { return "quota-" + ns }
func LimitsKey(ns string) string { return "limits-" + ns }

// Quota builds a namespace's ResourceQuota. A tenant gets no LoadBalancer
// or NodePort Services: it is reached through the platform's Gateway, and
// each LoadBalancer would be a NodeBalancer billed to the platform and
// left behind if the cluster went first.
func Quota(o compose.Owner, ns string, q tenantspec.Quota) compose.Resource {
	m := manifest("v1", "ResourceQuota", ns, "tenant-quota")
	m["spec"] = map[string]any{"hard": map[string]any{
		"requests.cpu": q.CPU, "limits.cpu": q.CPU,
		"requests.memory": q.Memory, "limits.memory": q.Memory,
		"requests.storage":       q.Storage,
		"pods":                   count(q.Pods),
		"services":               count(q.Services),
		"persistentvolumeclaims": count(q.PersistentVolumeClaims),
		"configmaps":             count(q.ConfigMaps),
		"secrets":                count(q.Secrets),
		"services.loadbalancers": "0",
		"services.nodeports":     "0",
	}}
	return Inside(o, QuotaKey(ns), m)
}

func count(n *int64) string { return strconv.FormatInt(*n, 10) }

// Limits builds a namespace's LimitRange: the default limits and requests
// of containers that set none.
func Limits(o compose.Owner, ns string, l tenantspec.Limits) compose.Resource {
	m := manifest("v1", "LimitRange", ns, "tenant-limits")
	m["spec"] = map[string]any{"limits": []any{map[string]any{
		"type":           "Container",
		"default":        map[string]any{"cpu": l.CPU, "memory": l.Memory},
		"defaultRequest": map[string]any{"cpu": l.RequestCPU, "memory": l.RequestMemory},
	}}}
	return Inside(o, LimitsKey(ns), m)
}
