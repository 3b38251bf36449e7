package fn

import (
	"cmp"
	"sort"
	"strings"

	"github.com/platformcluster/function-platform-cluster/fn/compose"
	"github.com/platformcluster/function-platform-cluster/fn/protection"
	"github.com/platformcluster/function-platform-cluster/fn/score"
	"github.com/platformcluster/function-platform-cluster/fn/settings"
	"github.com/platformcluster/function-platform-cluster/fn/sorted"
	"github.com/platformcluster/function-platform-cluster/fn/workload"
)

// claimNamespaceLabel is set by Crossplane on an XR bound to a claim.
const claimNamespaceLabel = "crossplane.io/claim-namespace"

type workloadStatus struct {
	name, url string
	readiness
}

// workloads is what composing the claim's workloads gives the XR's status:
// each workload's, the readiness of the resources they share (nil when
// there are none), and the warnings of their conversion and delivery.
type workloads struct {
	statuses []workloadStatus
	shared   *readiness
	warnings []string
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
// A workload's LoadBalancer Service must be outlived by cluster.
func addWorkloads(a *admitted, c composition, wls converted, listeners map[string]string, cluster protection.Ref) workloads {
	var wl workloads
	if len(wls.ws)+len(wls.missing) == 0 {
		return wl
	}
	s, set, out := c.spec, c.settings, wls.out
	status := map[string]*workloadStatus{}
	for _, w := range wls.ws {
		status[w.Name] = &workloadStatus{name: w.Name}
	}
	for _, m := range wls.missing {
		wl.warnings = append(wl.warnings, m.Field+": workload "+m.Name+": "+m.Reason)
		status[m.Name] = &workloadStatus{name: m.Name, readiness: readiness{message: m.Reason}}
	}
	gateway := s.Components.GatewayFabric.IsEnabled()
	wl.warnings = append(wl.warnings, noteProblems(status, out)...)
	deliveries, warnings := workload.Deliver(out, workload.Target{Owner: a.owner, GeneratorImage: set.SecretGeneratorImage, GatewayEnabled: gateway, Listeners: listeners})
	wl.warnings = append(wl.warnings, warnings...)

	needs := []need{a.providerConfigsExist(), a.storageReady()}
	if gateway {
		needs = append(needs, a.gatewayProgrammed())
	}
	var blocked string
	if held := a.stageWaits("workloads", needs...); len(held) > 0 {
		blocked = "waiting for " + held[0]
	}
	for _, d := range deliveries {
		st := status[d.Name]
		if st == nil {
			st = &workloadStatus{name: d.Name}
		}
		a.addDelivery(d, needs, blocked, st, cluster)
		noteFailedDependencies(st, out, d.Name)
		if d.Name == "" {
			wl.shared = &st.readiness
			continue
		}
		status[d.Name] = st
	}
	a.keepUndelivered(status, wls.kept)
	wl.statuses = byName(status)
	return wl
}

// noteProblems returns the conversion's problems as warnings, and says in
// the status of each workload a problem kept from converting why.
func noteProblems(status map[string]*workloadStatus, out score.Output) []string {
	var warnings []string
	for _, pr := range out.Problems {
		warnings = append(warnings, pr.Error())
		if st := status[pr.Workload]; st != nil && pr.Severity == score.SeverityFatal && st.message == "" {
			st.message = "not converted: " + pr.Error()
		}
	}
	return warnings
}

// byName is the workloads' statuses in order of name.
func byName(status map[string]*workloadStatus) []workloadStatus {
	out := make([]workloadStatus, 0, len(status))
	for _, st := range status {
		out = append(out, *st)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

// addDelivery composes one workload's Objects and records its status. The
// cloud controller deletes a LoadBalancer's NodeBalancer only while the
// cluster exists, so cluster outlives the Object of a LoadBalancer
// Service, which waits until the Service is gone.
func (a *admitted) addDelivery(d workload.Delivery, needs []need, blocked string, st *workloadStatus, cluster protection.Ref) {
	st.url = d.URL
	ready := true
	for _, r := range d.Resources {
		rr, held := a.admit(item{Resource: r, needs: needs})
		switch {
		case held != nil:
			ready = false
			st.fail(blocked)
		case !rr:
			ready = false
			st.fail(r.Key + ": " + a.obs.Message(r.Key))
		}
	}
	for _, r := range d.Resources {
		if !workload.IsLoadBalancer(r) {
			continue
		}
		if _, ok := a.find(r.Key); ok {
			a.protect(cluster, r)
		}
	}
	if ready {
		st.pass()
	}
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
func (a *admitted) keepUndelivered(status map[string]*workloadStatus, kept map[string]map[string]map[string]any) {
	for name, objs := range kept {
		for _, key := range sorted.Keys(objs) {
			// Observed, so admitted whatever the workloads' stage waits for.
			a.admit(item{Resource: compose.Resource{Key: key, Object: objs[key]}})
		}
		st := status[name]
		st.ready = false
		st.message = "kept as last delivered, not updated: " + st.message
	}
}
