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
}

// Selection says which add-ons are enabled.
type Selection struct {
	Gateway       bool
	Observability Observability
	Headlamp      bool
	Harbor        bool
	// HarborAdminSecret names an existing Secret with Harbor's admin
	// password; empty leaves the chart's default.
	HarborAdminSecret string
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
		return Item{Resource: Release(o, addon, cs[addon], values), Component: addon}
	}
	var items []Item
	if s.Gateway {
		items = append(items, gatewayItems(o, g, cs)...)
		if s.Issuer != nil {
			items = append(items, tlsItems(o, *s.Issuer, cs)...)
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
		items = append(items, release(charts.Harbor, harborValues(s.HarborAdminSecret, harborExternalURL(s, cs))))
	}
	return items
}

// harborExternalURL is the URL Harbor puts in registry token realms and in
// the push and pull commands it shows, so docker login works only against
// it: the URL the platform publishes Harbor at. Without a platform domain,
// a workloads domain gives harbor.<domain>, served over HTTPS by whatever
// the platform team publishes Harbor with; without either it is the
// in-cluster Service, which only pods can reach.
func harborExternalURL(s Selection, cs map[string]charts.Chart) string {
	if u := s.URLs[charts.Harbor]; u != "" {
		return u
	}
	if s.Domain != "" {
		return "https://" + charts.Harbor + "." + s.Domain
	}
	return "http://" + serviceHost(charts.Harbor, cs)
}

// harborValues expose Harbor inside the cluster only; publishing it is the
// platform team's choice of domain and TLS. The admin password is read from
// an existing Secret when one is named, never passed as a value.
func harborValues(adminSecret, externalURL string) map[string]any {
	v := map[string]any{
		"externalURL": externalURL,
		"expose": map[string]any{
			"type": "clusterIP",
			"tls":  map[string]any{"enabled": false},
		},
	}
	if adminSecret != "" {
		v["existingSecretAdminPassword"] = adminSecret
		v["existingSecretAdminPasswordKey"] = "HARBOR_ADMIN_PASSWORD"
	}
	return v
}
