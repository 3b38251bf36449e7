package addons

import (
	"github.com/platformcluster/function-platform-cluster/fn/charts"
	"github.com/platformcluster/function-platform-cluster/fn/compose"
	"github.com/platformcluster/function-platform-cluster/fn/tls"
)

// certManagerValues install cert-manager's CRDs with the release (its
// release Secret, about 500 KB with them, fits Helm's 1 MiB limit) and turn
// on its Gateway API support, which HTTP-01 challenges through the Gateway
// need.
func certManagerValues() map[string]any {
	return map[string]any{
		"crds":   map[string]any{"enabled": true},
		"config": map[string]any{"gatewayAPI": map[string]any{"enabled": true}},
	}
}

// tlsItems are cert-manager and then its ClusterIssuer. cert-manager checks
// for the Gateway API only when it starts, so it comes after their CRDs;
// the issuer comes after cert-manager, whose webhook must admit it.
func tlsItems(o compose.Owner, is tls.Issuer, cs map[string]charts.Chart, crdsAfter []string) []Item {
	return []Item{
		{
			Resource:  Release(o, charts.CertManager, cs[charts.CertManager], certManagerValues()),
			After:     crdsAfter,
			Component: tls.Component,
		},
		{
			Resource:  tls.ClusterIssuer(o, is),
			After:     []string{ReleaseKey(charts.CertManager)},
			Component: tls.Component,
		},
	}
}
