package addons

import (
	"github.com/platformcluster/function-platform-cluster/fn/charts"
	"github.com/platformcluster/function-platform-cluster/fn/compose"
	"github.com/platformcluster/function-platform-cluster/fn/tls"
)

// Item is one add-on resource and its place in the sequence. The function
// admits it into desired state (fn/stages.go).
type Item struct {
	compose.Resource
	// After lists composition resource names that must be Ready before the
	// item is first composed.
	After []string
	// Uses lists composition resource names that must outlive the item,
	// besides the cluster itself.
	Uses []string
	// Component is the status key the item's readiness counts toward.
	Component string
	// Blocked, when set, says what must be fixed before the item is first
	// composed (a Secret the Input names is missing).
	Blocked string
	// Volumes says the item makes volumes, which should come from the
	// platform's StorageClass.
	Volumes bool
}

// Selection says which add-ons are enabled.
type Selection struct {
	Gateway       bool
	Observability Observability
	Headlamp      bool
	Harbor        bool
	// HarborAdminSecret names a Secret on the control plane, in
	// SecretNamespace, with Harbor's admin password; empty generates one on
	// the new cluster.
	HarborAdminSecret string
	// SecretNamespace is where the control plane's Secrets the function
	// reads live.
	SecretNamespace string
	// GeneratorImage is the kubectl image of the credential generator Job.
	GeneratorImage string
	// HarborAdminProblem, when set, says what is wrong with the Secret
	// HarborAdminSecret names; Harbor is then not installed.
	HarborAdminProblem string
	// Domain is the workloads' base domain, empty when none is set.
	Domain string
	// URLs are the public URLs of the UIs published under the platform's
	// domain, by add-on key.
	URLs map[string]string
	// Issuer, when set, turns on cert-manager and its ClusterIssuer.
	Issuer *tls.Issuer
}

// Plan returns every enabled add-on's resources in a stable order.
func Plan(o compose.Owner, s Selection, g Gateway, cs map[string]charts.Chart) []Item {
	release := func(addon string, values map[string]any) Item {
		values, volumes := withVolumes(addon, values)
		return Item{Resource: Release(o, addon, cs[addon], values), Component: addon, Volumes: volumes}
	}
	var items []Item
	if s.Gateway {
		items = append(items, gatewayItems(o, g, cs)...)
		if s.Issuer != nil {
			items = append(items, tlsItems(o, *s.Issuer, cs, g.crdsAfter())...)
		}
	}
	obs := s.Observability
	if obs.Loki {
		items = append(items, release(charts.Loki, lokiValues()))
	}
	if obs.Tempo {
		items = append(items, release(charts.Tempo, tempoValues()))
	}
	if obs.Grafana {
		items = append(items, release(charts.Grafana, grafanaValues(obs, s.URLs[charts.Grafana], cs)))
	}
	if obs.Alloy {
		items = append(items, release(charts.Alloy, alloyValues(obs, cs)))
	}
	if s.Headlamp {
		items = append(items, release(charts.Headlamp, nil))
	}
	if s.Harbor {
		items = append(items, harborItems(o, s, cs)...)
	}
	return items
}
