package fn

import (
	"cmp"
	"sort"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/platformcluster/function-platform-cluster/fn/addons"
	"github.com/platformcluster/function-platform-cluster/fn/compose"
	"github.com/platformcluster/function-platform-cluster/fn/observed"
	"github.com/platformcluster/function-platform-cluster/fn/protection"
	"github.com/platformcluster/function-platform-cluster/fn/score"
	"github.com/platformcluster/function-platform-cluster/fn/settings"
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

// addWorkloads converts the claim's Score workloads and composes their
// Objects once the cluster's ProviderConfigs exist and, when the gateway is
// enabled, once the default Gateway is programmed, so routes attach to a
// working gateway. Problems with one workload are warnings that leave it out;
// the rest of the claim still composes.
func (p *platform) addWorkloads(s *spec.Spec, set settings.Settings, req *fnv1.RunFunctionRequest, ns string, ap addons.Params, pcsExist bool, obs observed.State, conv *workload.Converter) {
	ws, missing := workload.Collect(s, req, ns, set.ScoreKey)
	if len(ws)+len(missing) == 0 {
		return
	}
	status := map[string]*workloadStatus{}
	for _, w := range ws {
		status[w.Name] = &workloadStatus{name: w.Name}
	}
	for _, m := range missing {
		p.warnings = append(p.warnings, m.Field+": workload "+m.Name+": "+m.Reason)
		status[m.Name] = &workloadStatus{name: m.Name, message: m.Reason}
	}
	domain := workloadDomain(s, set)
	gateway := s.Components.GatewayFabric.IsEnabled()
	out := conv.Convert(ws, score.Options{GatewayName: set.Gateway.Name, GatewayNamespace: set.Gateway.Namespace, Domain: domain, Provisioners: set.ScoreProvisioners})
	for _, pr := range out.Problems {
		p.warnings = append(p.warnings, pr.Error())
		if st := status[pr.Workload]; st != nil && pr.Severity == score.SeverityFatal && st.message == "" {
			st.message = "not converted: " + pr.Error()
		}
	}
	deliveries, warnings := workload.Deliver(out, ap, set.SecretGeneratorImage, gateway)
	p.warnings = append(p.warnings, warnings...)

	var blocked string
	switch {
	case !pcsExist:
		blocked = "waiting for the cluster's ProviderConfigs"
	case gateway && !obs.Ready(addons.GatewayKey):
		blocked = "waiting for the default Gateway to be programmed"
	}
	// HTTPRoutes are deleted before their CRD, which would take them along.
	crds, haveCRDs := p.find(addons.CRDKey("httproutes"))
	for _, d := range deliveries {
		st := status[d.Name]
		if st == nil {
			st = &workloadStatus{name: d.Name}
		}
		st.url = d.URL
		ready := true
		for _, r := range d.Resources {
			if blocked != "" && !obs.Exists(r.Key) {
				ready = false
				st.message = cmp.Or(st.message, blocked)
				continue
			}
			rr := obs.Ready(r.Key)
			p.add(r, rr)
			if !rr {
				ready = false
				st.message = cmp.Or(st.message, r.Key+": "+obs.Message(r.Key))
			}
		}
		if haveCRDs {
			for _, k := range d.Routes {
				if r, ok := p.find(k); ok {
					p.protect(protection.RefOf(crds), r, obs)
				}
			}
		}
		st.ready = ready && st.message == ""
		if d.Name == "" {
			p.components[workload.Component] = componentStatus{ready: st.ready, message: st.message}
			continue
		}
		status[d.Name] = st
	}
	if blocked != "" {
		p.waiting = append(p.waiting, "workloads: "+blocked)
	}
	p.keepUndelivered(status, deliveries, obs)
	for _, st := range status {
		p.workloads = append(p.workloads, *st)
	}
	sort.Slice(p.workloads, func(i, j int) bool { return p.workloads[i].name < p.workloads[j].name })
}

// keepUndelivered composes again, unchanged, what was delivered earlier for
// a workload that now cannot be read or converted. A typo in a Score file or
// a ConfigMap deleted by mistake must stop updates to a running workload,
// not delete it; the workload reports why it is held back.
func (p *platform) keepUndelivered(status map[string]*workloadStatus, deliveries []workload.Delivery, obs observed.State) {
	delivered := map[string]bool{}
	for _, d := range deliveries {
		delivered[d.Name] = true
	}
	for name, st := range status {
		if delivered[name] {
			continue
		}
		kept := obs.Carry(workload.Prefix(name), "usage-"+workload.Prefix(name))
		if len(kept) == 0 {
			continue
		}
		for _, key := range compose.SortedKeys(kept) {
			p.add(compose.Resource{Key: key, Object: kept[key]}, obs.Ready(key))
		}
		st.ready = false
		st.message = "kept as last delivered, not updated: " + st.message
	}
}

// workloadDomain is the base domain of workload DNS names: the claim's
// userApps.domain, else the Input's workloads.domain.
func workloadDomain(s *spec.Spec, set settings.Settings) string {
	if s.Components.UserApps != nil && s.Components.UserApps.Domain != "" {
		return s.Components.UserApps.Domain
	}
	return set.Domain
}
