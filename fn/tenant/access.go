package tenant

import (
	"sort"

	"github.com/platformcluster/function-platform-cluster/fn/compose"
	"github.com/platformcluster/function-platform-cluster/fn/tenantspec"
)

const rbacGroup = "rbac.authorization.k8s.io"

// AccessKey is the composition resource name of a namespace's RoleBinding
// of one role.
func AccessKey(ns, role string) string { return "access-" + ns + "-" + role }

// Access builds, in one namespace, a RoleBinding per role granted: the
// subjects get the built-in ClusterRole of that name, in that namespace
// only (a RoleBinding to a ClusterRole grants nothing elsewhere).
func Access(o compose.Owner, ns string, grants []tenantspec.Access) []compose.Resource {
	byRole := map[string][]tenantspec.Access{}
	for _, g := range grants {
		byRole[g.Role] = append(byRole[g.Role], g)
	}
	var out []compose.Resource
	for _, role := range tenantspec.Roles {
		gs := byRole[role]
		if len(gs) == 0 {
			continue
		}
		sort.Slice(gs, func(i, j int) bool {
			if gs[i].Kind != gs[j].Kind {
				return gs[i].Kind < gs[j].Kind
			}
			return gs[i].Name < gs[j].Name
		})
		subjects := make([]any, 0, len(gs))
		seen := map[tenantspec.Access]bool{}
		for _, g := range gs {
			if !seen[g] {
				subjects = append(subjects, map[string]any{"kind": g.Kind, "name": g.Name, "apiGroup": rbacGroup})
			}
			seen[g] = true
		}
		m := manifest(rbacGroup+"/v1", "RoleBinding", ns, "tenant-"+role)
		m["subjects"] = subjects
		m["roleRef"] = map[string]any{"apiGroup": rbacGroup, "kind": "ClusterRole", "name": role}
		out = append(out, Inside(o, AccessKey(ns, role), m))
	}
	return out
}
