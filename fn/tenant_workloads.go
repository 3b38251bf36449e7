package fn

import (
	"fmt"
	"sort"

	"github.com/platformcluster/function-platform-cluster/fn/protection"
	"github.com/platformcluster/function-platform-cluster/fn/publish"
	"github.com/platformcluster/function-platform-cluster/fn/score"
	"github.com/platformcluster/function-platform-cluster/fn/tenant"
	"github.com/platformcluster/function-platform-cluster/fn/workload"
)

// addTenantWorkloads converts and delivers the tenant's Score workloads,
// namespace by namespace, into its namespaces.
func (p *tenantPlan) addTenantWorkloads(cache *workload.Cache, hostHeld need) {
	status := map[string]*workloadStatus{}
	for _, ns := range p.t.spec.Namespaces {
		p.addNamespaceWorkloads(ns, cache, status, hostHeld)
	}
	for _, st := range status {
		p.workloads = append(p.workloads, *st)
	}
	sort.Slice(p.workloads, func(i, j int) bool { return p.workloads[i].name < p.workloads[j].name })
}

func (p *tenantPlan) addNamespaceWorkloads(ns string, cache *workload.Cache, status map[string]*workloadStatus, hostHeld need) {
	set, pf := p.t.settings, p.t.platform
	var ws []score.Workload
	for i, w := range p.t.spec.Workloads {
		if w.Namespace == ns {
			ws = append(ws, score.Workload{Name: w.Name, Source: fmt.Sprintf("spec.workloads[%d].score", i), Spec: w.Score})
			status[w.Name] = &workloadStatus{name: w.Name}
		}
	}
	if len(ws) == 0 {
		return
	}
	opts := score.Options{
		GatewayName: set.Gateway.Name, GatewayNamespace: set.Gateway.Namespace,
		Domain: p.host, Provisioners: set.ScoreProvisioners, Namespace: ns,
	}
	out := p.confineHosts(cache.Convert(ws, opts))
	for _, pr := range out.Problems {
		p.warnings = append(p.warnings, pr.Error())
		if st := status[pr.Workload]; st != nil && pr.Severity == score.SeverityFatal && st.message == "" {
			st.message = "not converted: " + pr.Error()
		}
	}
	target := workload.Target{Owner: p.owner, GeneratorImage: set.SecretGeneratorImage, GatewayEnabled: pf.GatewayEnabled, Namespace: ns}
	deliveries, warnings := workload.Deliver(out, target)
	p.warnings = append(p.warnings, warnings...)
	needs := []need{
		{what: "namespace " + ns + "'s quota", met: p.obs.Ready(tenant.QuotaKey(ns))},
		{what: "namespace " + ns + "'s default limits", met: p.obs.Ready(tenant.LimitsKey(ns))},
		hostHeld,
	}
	var blocked string
	if held := p.stageWaits("workloads in "+ns, needs...); len(held) > 0 {
		blocked = "waiting for " + held[0]
	}
	delivered := map[string]bool{}
	for _, d := range deliveries {
		for i, r := range d.Resources {
			d.Resources[i] = tenant.Harden(r, set.Tenancy.PodSecurity)
		}
		st := status[d.Name]
		if st == nil {
			st = &workloadStatus{name: d.Name}
		}
		p.addDelivery(d, needs, blocked, st, protection.Ref{})
		delivered[d.Name] = true
	}
	kept := map[string]map[string]map[string]any{}
	for _, w := range ws {
		if objs := workload.KeptIn(p.obs, w.Name, ns); !delivered[w.Name] && len(objs) > 0 {
			kept[w.Name] = objs
		}
	}
	p.keepUndelivered(status, kept)
}

// confineHosts leaves out a workload whose route serves a host outside the
// tenant's: the platform's Gateway admits routes from every namespace, so
// without this a tenant could take another's host, or a platform UI's.
func (p *tenantPlan) confineHosts(out score.Output) score.Output {
	confined := score.Output{Shared: out.Shared, SharedSecrets: out.SharedSecrets, Problems: out.Problems}
	for _, wo := range out.Workloads {
		var outside []string
		for _, h := range workload.RouteHosts(wo.Manifests) {
			if p.host == "" || !publish.Under(h, p.host) {
				outside = append(outside, h)
			}
		}
		if len(outside) == 0 {
			confined.Workloads = append(confined.Workloads, wo)
			continue
		}
		confined.Problems = append(confined.Problems, score.Problem{
			Severity: score.SeverityFatal, Workload: wo.Name, Field: "resources",
			Message: fmt.Sprintf("route hosts %v are not under the tenant's host %q (spec.host); the workload is not delivered", outside, p.host),
		})
	}
	return confined
}
