package tenant

import (
	"github.com/platformcluster/function-platform-cluster/fn/compose"
)

// Pod Security levels.
const (
	Restricted PodSecurity = "restricted"
	Baseline   PodSecurity = "baseline"
)

// podTemplates are where each workload kind keeps its pod template.
var podTemplates = map[string][]string{
	"Deployment":  {"spec", "template", "spec"},
	"StatefulSet": {"spec", "template", "spec"},
	"DaemonSet":   {"spec", "template", "spec"},
	"Job":         {"spec", "template", "spec"},
	"CronJob":     {"spec", "jobTemplate", "spec", "template", "spec"},
	"Pod":         {"spec"},
}

// Harden makes the pods of an Object's manifest meet the restricted Pod
// Security level where they leave a setting out: Score cannot express a
// security context, and under restricted the API server would refuse the
// pods outright. What a manifest sets is kept; an image that must run as
// root still fails, at container start, naming the reason. Other levels
// and kinds are returned as they are. The manifest is copied, never
// changed: converted workloads are shared by the cache.
func Harden(r compose.Resource, level PodSecurity) compose.Resource {
	sp := mapOf(r.Object["spec"])
	m := mapOf(mapOf(sp["forProvider"])["manifest"])
	path, ok := podTemplates[stringOf(m["kind"])]
	if level != Restricted || !ok {
		return r
	}
	m = deepCopy(m).(map[string]any)
	pod := m
	for _, k := range path {
		pod = mapOf(pod[k])
	}
	if pod == nil {
		return r
	}
	psc := ensure(pod, "securityContext")
	setDefault(psc, "runAsNonRoot", true)
	setDefault(psc, "seccompProfile", map[string]any{"type": "RuntimeDefault"})
	for _, list := range []string{"initContainers", "containers"} {
		cs, _ := pod[list].([]any)
		for _, c := range cs {
			sc := ensure(mapOf(c), "securityContext")
			setDefault(sc, "allowPrivilegeEscalation", false)
			setDefault(sc, "capabilities", map[string]any{"drop": []any{"ALL"}})
		}
	}
	obj := deepCopy(r.Object).(map[string]any)
	mapOf(mapOf(obj["spec"])["forProvider"])["manifest"] = m
	return compose.Resource{Key: r.Key, Object: obj}
}

func ensure(m map[string]any, key string) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	v, ok := m[key].(map[string]any)
	if !ok {
		v = map[string]any{}
		m[key] = v
	}
	return v
}

func setDefault(m map[string]any, key string, v any) {
	if _, ok := m[key]; !ok {
		m[key] = v
	}
}

func stringOf(v any) string {
	s, _ := v.(string)
	return s
}

func deepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = deepCopy(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = deepCopy(e)
		}
		return out
	default:
		return v
	}
}
