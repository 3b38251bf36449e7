package fn

import (
	"cmp"

	"google.golang.org/protobuf/types/known/structpb"

	"github.com/platformcluster/function-platform-cluster/fn/compose"
	"github.com/platformcluster/function-platform-cluster/fn/protection"
	"github.com/platformcluster/function-platform-cluster/fn/sorted"
	"github.com/platformcluster/function-platform-cluster/fn/tenant"
	"github.com/platformcluster/function-platform-cluster/fn/workload"
)

// A tenant composes in three steps, each admitted by the same rule as a
// platform's stages (stages.go):
//
//  1. each namespace's Object, with a ClusterUsage that keeps the
//     platform's XR until that Object is gone, needs the platform Ready;
//  2. what lives in a namespace (quota, limits, policies, RoleBindings)
//     needs that namespace's Object observed Ready. Observed means this
//     tenant's: Crossplane never reports a resource another XR controls,
//     so a tenant that lost a race for a namespace composes nothing in it;
//  3. workloads need their namespace's quota and limits Ready, since a
//     quota on CPU and memory refuses pods the LimitRange has not given
//     requests and limits.
//
// A platform that is not found, or has no kubernetes ProviderConfig yet,
// leaves everything composed before as it was; a platform being deleted
// gets nothing composed on it.

// tenantPlan is everything one reconcile of a tenant composes and reports.
type tenantPlan struct {
	*platform
	t tenancy
	// host is the tenant's host; its workloads' hosts are under it.
	host string
	// held says why nothing new is composed, "" when the platform is
	// Ready.
	held       string
	namespaces []namespaceStatus
}

type namespaceStatus struct {
	name string
	readiness
	// quota is the ResourceQuota's observed status (hard, used).
	quota map[string]any
}

// planTenant composes a tenant on its platform.
func planTenant(t tenancy, owner compose.Owner, cache *workload.Cache) *tenantPlan {
	p := &tenantPlan{platform: &platform{admitted: &admitted{owner: owner, obs: t.observed}, components: map[string]componentStatus{}}, t: t}
	p.warnings = append(p.warnings, t.settings.Warnings...)
	pf, ref := t.platform, "PlatformCluster "+t.spec.ClusterRef.Namespace+"/"+t.spec.ClusterRef.Name
	switch {
	case pf == nil:
		p.keepAll(ref + " was not found")
		return p
	case pf.Deleting:
		p.held = ref + " is being deleted: nothing is composed on a cluster that is going away"
		p.waiting = append(p.waiting, wait{what: "the tenant", on: []string{p.held}})
		return p
	case pf.ProviderConfig == "":
		p.keepAll(ref + " has no kubernetes ProviderConfig yet")
		return p
	case !pf.Ready:
		p.held = ref + " is not ready: " + pf.NotReady
	}
	p.owner.ProviderConfig = pf.ProviderConfig
	p.host = t.host
	ready := need{what: ref + " to be Ready", met: pf.Ready}
	for _, ns := range t.spec.Namespaces {
		p.addNamespace(ns, ready)
	}
	hostHeld := p.addHost()
	p.addTenantWorkloads(cache, hostHeld)
	return p
}

// addHost composes the lock on the tenant's host in its first namespace,
// and returns what the tenant's routes need: holding it.
func (p *tenantPlan) addHost() need {
	held := need{what: "the tenant's host", met: true}
	if p.host == "" {
		return held
	}
	first := p.t.spec.Namespaces[0]
	nsReady := need{what: "namespace " + first, met: p.obs.Ready(tenant.NamespaceKey(first))}
	p.admit(item{Resource: tenant.Host(p.owner, p.t.platform.XR, first, p.host), needs: []need{nsReady}})
	held.what = "the tenant's host " + p.host
	held.met = p.obs.Ready(tenant.HostKey)
	return held
}

// tenantHost is the claim's host, else <tenant>.<the platform's domain>,
// else <tenant>.<the Input's workloads.domain>, else none.
func tenantHost(t tenancy) string {
	if t.spec.Host != "" {
		return t.spec.Host
	}
	if d := cmp.Or(t.platform.Domain, t.settings.Domain); d != "" {
		return t.name + "." + d
	}
	return ""
}

// keepAll composes again, unchanged, everything observed: without its
// platform the tenant cannot build anything, and must not delete what runs.
func (p *tenantPlan) keepAll(why string) {
	p.held = why
	p.waiting = append(p.waiting, wait{what: "the tenant", on: []string{why}})
	kept := p.obs.Carry(func(string, *structpb.Struct) bool { return true })
	for _, key := range sorted.Keys(kept) {
		p.admit(item{Resource: compose.Resource{Key: key, Object: kept[key]}})
	}
}

// addNamespace composes one namespace, what protects the platform while it
// exists, and what lives in it.
func (p *tenantPlan) addNamespace(ns string, platformReady need) {
	set, spec := p.t.settings, p.t.spec
	st := namespaceStatus{name: ns}
	nsObj := tenant.Namespace(p.owner, p.t.platform.XR, ns, p.t.id, set.Tenancy.PodSecurity)
	if _, held := p.admit(item{Resource: nsObj, needs: []need{platformReady}}); held != nil {
		st.message = "waits for " + join(held)
		p.namespaces = append(p.namespaces, st)
		return
	}
	usage := protection.Usage(p.owner, tenant.PlatformRef(*p.t.platform), protection.RefOf(nsObj))
	p.admit(item{Resource: usage, readyWhenObserved: true})
	inside := []compose.Resource{tenant.Quota(p.owner, ns, *spec.Quota), tenant.Limits(p.owner, ns, *spec.Limits)}
	inside = append(inside, tenant.Network(p.owner, ns, spec.Namespaces, set.Gateway.Namespace, set.Tenancy.Egress)...)
	inside = append(inside, tenant.Access(p.owner, ns, spec.Access)...)
	nsReady := need{what: "namespace " + ns, met: p.obs.Ready(tenant.NamespaceKey(ns))}
	st.ready = nsReady.met
	if !nsReady.met {
		st.message = tenant.NamespaceKey(ns) + ": " + p.obs.Message(tenant.NamespaceKey(ns))
	}
	for _, r := range inside {
		ready, held := p.admit(item{Resource: r, needs: []need{nsReady}})
		if !ready {
			st.ready = false
		}
		if !ready && held == nil && st.message == "" {
			st.message = r.Key + ": " + p.obs.Message(r.Key)
		}
	}
	st.quota = p.quotaStatus(ns)
	p.namespaces = append(p.namespaces, st)
}

// quotaStatus is the hard limits and usage the cluster reports for a
// namespace's quota, nil until observed.
func (p *tenantPlan) quotaStatus(ns string) map[string]any {
	r, ok := p.obs[tenant.QuotaKey(ns)]
	if !ok {
		return nil
	}
	m := r.GetResource().AsMap()
	for _, k := range []string{"status", "atProvider", "manifest", "status"} {
		m, _ = m[k].(map[string]any)
	}
	out := map[string]any{}
	for _, k := range []string{"hard", "used"} {
		if v, ok := m[k].(map[string]any); ok {
			out[k] = v
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}
