package fn

import (
	"cmp"
	"sort"
	"strings"

	"github.com/platformcluster/function-platform-cluster/fn/compose"
	"github.com/platformcluster/function-platform-cluster/fn/score"
	"github.com/platformcluster/function-platform-cluster/fn/settings"
	"github.com/platformcluster/function-platform-cluster/fn/sorted"
	"github.com/platformcluster/function-platform-cluster/fn/spec"
	"github.com/platformcluster/function-platform-cluster/fn/workload"
)

// claimNamespaceLabel is set by Crossplane on an XR bound to a claim.
const claimNamespaceLabel = "crossplane.io/claim-namespace"

type workloadStatus struct {
	name, url, message string
	ready              bool
}

// workloadNamespace is where referenced Score ConfigMaps live: the Input's
// namespace if set, else the claim's.
func workloadNamespace(set settings.Settings, xrLabels map[string]string) string {
	return cmp.Or(set.WorkloadNamespace, xrLabels[claimNamespaceLabel])
}

// converted is the claim's workloads, converted from Score.
type converted struct {
	ws      []score.Workload
	missing []workload.Missing
	out     score.Output
	// kept holds, by workload, the Objects last delivered for each
	// workload that did not convert now (keepUndelivered composes them
	// again), by composition resource name.
	kept map[string]map[string]map[string]any
}

// convertWorkloads collects the claim's Score workloads, converts them, and
// carries over what was last delivered for those that did not convert.
// Conversion comes before composing anything else, because the hosts of
// the workloads' routes, kept ones included, are among the platform's
// public hosts.
func convertWorkloads(c composition, cache *workload.Cache) converted {
	s, set := c.spec, c.settings
	ws, missing := workload.Collect(s, c.fetched.scoreConfigMaps, c.workloadNamespace, set.ScoreKey)
	if len(ws)+len(missing) == 0 {
		return converted{}
	}
	opts := score.Options{
		GatewayName: set.Gateway.Name, GatewayNamespace: set.Gateway.Namespace,
		Domain: workloadDomain(s, set), HTTPS: workloadHTTPS(s, set), Provisioners: set.ScoreProvisioners,
		Environment: set.ScoreEnvironment, EnvironmentField: "the function Input's workloads.environment",
	}
	for _, m := range missing {
		opts.Unread = append(opts.Unread, m.Name)
	}
	w := converted{ws: ws, missing: missing, out: cache.Convert(ws, opts), kept: map[string]map[string]map[string]any{}}
	delivered := map[string]bool{}
	for _, wo := range w.out.Workloads {
		delivered[wo.Name] = true
	}
	names := make([]string, 0, len(ws)+len(missing))
	for _, x := range ws {
		names = append(names, x.Name)
	}
	for _, m := range missing {
		names = append(names, m.Name)
	}
	for _, name := range names {
		if delivered[name] {
			continue
		}
		if objs := workload.Kept(c.observed, name); len(objs) > 0 {
			w.kept[name] = objs
		}
	}
	return w
}

// routeHosts are the hosts of the workloads' routes: those just converted,
// and those of routes kept as last delivered, which must keep their DNS
// record, certificate and listener as they keep their route.
func (w converted) routeHosts() []string {
	var ms []score.Manifest
	for _, wo := range w.out.Workloads {
		ms = append(ms, wo.Manifests...)
	}
	for _, objs := range w.kept {
		for _, o := range objs {
			sp, _ := o["spec"].(map[string]any)
			fp, _ := sp["forProvider"].(map[string]any)
			if m, ok := fp["manifest"].(map[string]any); ok {
				ms = append(ms, m)
			}
		}
	}
	return workload.RouteHosts(ms)
}

// addWorkloads composes the converted workloads' Objects. Problems with one
// workload are warnings that leave it out; the rest of the claim still
// composes. Routes of hosts in listeners attach to their HTTPS listener.
func (p *platform) addWorkloads(c composition, wls converted, listeners map[string]string) {
	if len(wls.ws)+len(wls.missing) == 0 {
		return
	}
	s, set, out := c.spec, c.settings, wls.out
	status := map[string]*workloadStatus{}
	for _, w := range wls.ws {
		status[w.Name] = &workloadStatus{name: w.Name}
	}
	for _, m := range wls.missing {
		p.warnings = append(p.warnings, m.Field+": workload "+m.Name+": "+m.Reason)
		status[m.Name] = &workloadStatus{name: m.Name, message: m.Reason}
	}
	gateway := s.Components.GatewayFabric.IsEnabled()
	for _, pr := range out.Problems {
		p.warnings = append(p.warnings, pr.Error())
		if st := status[pr.Workload]; st != nil && pr.Severity == score.SeverityFatal && st.message == "" {
			st.message = "not converted: " + pr.Error()
		}
	}
	deliveries, warnings := workload.Deliver(out, workload.Target{Owner: p.owner, GeneratorImage: set.SecretGeneratorImage, GatewayEnabled: gateway, Listeners: listeners})
	p.warnings = append(p.warnings, warnings...)

	needs := []need{p.providerConfigsExist(), p.storageReady()}
	if gateway {
		needs = append(needs, p.gatewayProgrammed())
	}
	var blocked string
	if held := p.stageWaits("workloads", needs...); len(held) > 0 {
		blocked = "waiting for " + held[0]
	}
	for _, d := range deliveries {
		st := status[d.Name]
		if st == nil {
			st = &workloadStatus{name: d.Name}
		}
		p.addDelivery(d, needs, blocked, st)
		noteFailedDependencies(st, out, d.Name)
		if d.Name == "" {
			p.components[workload.Component] = componentStatus{ready: st.ready, message: st.message}
			continue
		}
		status[d.Name] = st
	}
	p.keepUndelivered(status, wls.kept)
	for _, st := range status {
		p.workloads = append(p.workloads, *st)
	}
	sort.Slice(p.workloads, func(i, j int) bool { return p.workloads[i].name < p.workloads[j].name })
}

// addDelivery composes one workload's Objects and records its status.
func (p *platform) addDelivery(d workload.Delivery, needs []need, blocked string, st *workloadStatus) {
	st.url = d.URL
	ready := true
	for _, r := range d.Resources {
		rr, held := p.admit(item{Resource: r, needs: needs})
		switch {
		case held != nil:
			ready = false
			st.message = cmp.Or(st.message, blocked)
		case !rr:
			ready = false
			st.message = cmp.Or(st.message, r.Key+": "+p.obs.Message(r.Key))
		}
	}
	// The cloud controller deletes a LoadBalancer's NodeBalancer only while
	// the cluster exists; the Object waits until the Service is gone.
	for _, r := range d.Resources {
		if !workload.IsLoadBalancer(r) {
			continue
		}
		if _, ok := p.find(r.Key); ok {
			p.protect(p.clusterRef, r)
		}
	}
	st.ready = ready && st.message == ""
}

// noteFailedDependencies says in a delivered workload's status which of the
// workloads it depends on did not convert. Its readiness stays its own:
// it runs, and reaches them once they convert.
func noteFailedDependencies(st *workloadStatus, out score.Output, name string) {
	for _, wo := range out.Workloads {
		if wo.Name != name || len(wo.FailedDependencies) == 0 {
			continue
		}
		note := "depends on workloads that did not convert: " + strings.Join(wo.FailedDependencies, ", ")
		if st.message != "" {
			note = st.message + "; " + note
		}
		st.message = note
	}
}

// keepUndelivered composes again, unchanged, what was delivered earlier for
// a workload that now cannot be read or converted. A typo in a Score file or
// a ConfigMap deleted by mistake must stop updates to a running workload,
// not delete it; the workload reports why it is held back.
func (p *platform) keepUndelivered(status map[string]*workloadStatus, kept map[string]map[string]map[string]any) {
	for name, objs := range kept {
		for _, key := range sorted.Keys(objs) {
			// Observed, so admitted whatever the workloads' stage waits for.
			p.admit(item{Resource: compose.Resource{Key: key, Object: objs[key]}})
		}
		st := status[name]
		st.ready = false
		st.message = "kept as last delivered, not updated: " + st.message
	}
}

// workloadDomain is the base domain of workload DNS names: the claim's
// userApps.domain, else the platform's domain, else the Input's
// workloads.domain. userApps.domain wins because it is the more specific
// setting; hosts it gives outside the platform's domain are served over
// plain HTTP (newSite warns).
func workloadDomain(s *spec.Spec, set settings.Settings) string {
	if s.Components.UserApps != nil && s.Components.UserApps.Domain != "" {
		return s.Components.UserApps.Domain
	}
	if d := s.Components.GatewayFabric.PublicDomain(); d != "" {
		return d
	}
	return set.Domain
}

// workloadHTTPS says whether the hosts of dns resources are served over
// HTTPS: the platform issues certificates and they are under its domain.
func workloadHTTPS(s *spec.Spec, set settings.Settings) bool {
	pub, d := s.Components.GatewayFabric.PublicDomain(), workloadDomain(s, set)
	return s.Components.GatewayFabric.TLSEnabled() && (d == pub || strings.HasSuffix(d, "."+pub))
}
