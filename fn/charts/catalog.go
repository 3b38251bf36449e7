// Package charts holds the pinned Helm chart of every add-on and merges a
// platform team's overrides over it.
package charts

import (
	"cmp"
	"encoding/json"
	"fmt"

	"github.com/platformcluster/function-platform-cluster/input/v1beta1"
)

// Chart is one Helm chart, where its release goes, and values merged over
// the function's own.
type Chart struct {
	Repository string
	Name       string
	Version    string
	Namespace  string
	Values     map[string]any
}

// Add-on keys, used in composed resource names, external names and status.
const (
	Loki          = "loki"
	Tempo         = "tempo"
	Grafana       = "grafana"
	Alloy         = "alloy"
	GatewayFabric = "nginx-gateway-fabric"
	Headlamp      = "headlamp"
	Harbor        = "harbor"
	CertManager   = "cert-manager"
)

const (
	// grafanaCommunity is where Grafana Labs moved the grafana and tempo
	// charts (January 2026) and the free Loki chart (March 2026); their
	// copies at grafana.github.io are frozen and marked deprecated.
	grafanaCommunity = "oci://ghcr.io/grafana-community/helm-charts"
	// grafanaRepo still publishes Alloy's chart, released from grafana/alloy.
	grafanaRepo   = "https://grafana.github.io/helm-charts"
	observability = "observability"
	gatewayNS     = "nginx-gateway"
)

// builtin pins every chart to a version this function's values were written
// for. Pinning is what keeps a reconcile from upgrading a release behind the
// platform team's back. testdata/<chart>/<version>/ records, from each
// chart's own repository at that version, the values keys the function sets
// and the Services other components reach; a pin without them fails
// TestPinnedChartsHaveData. README.md says why each pin is what it is.
var builtin = map[string]Chart{
	Loki:          {Repository: grafanaCommunity, Name: "loki", Version: "18.11.0", Namespace: observability},
	Tempo:         {Repository: grafanaCommunity, Name: "tempo", Version: "2.2.4", Namespace: observability},
	Grafana:       {Repository: grafanaCommunity, Name: "grafana", Version: "12.11.1", Namespace: observability},
	Alloy:         {Repository: grafanaRepo, Name: "alloy", Version: "1.11.1", Namespace: observability},
	GatewayFabric: {Repository: "oci://ghcr.io/nginx/charts", Name: "nginx-gateway-fabric", Version: "2.6.7", Namespace: gatewayNS},
	Headlamp:      {Repository: "https://kubernetes-sigs.github.io/headlamp/", Name: "headlamp", Version: "0.45.0", Namespace: "headlamp"},
	Harbor:        {Repository: "https://helm.goharbor.io", Name: "harbor", Version: "1.19.1", Namespace: "harbor"},
	// cert-manager's chart version is its release tag, "v" included.
	CertManager: {Repository: "oci://quay.io/jetstack/charts", Name: "cert-manager", Version: "v1.21.2", Namespace: "cert-manager"},
}

// inputField is each add-on's field under the Input's charts.
var inputField = map[string]string{
	Loki: "loki", Tempo: "tempo", Grafana: "grafana", Alloy: "alloy", GatewayFabric: "gatewayFabric",
	Headlamp: "headlamp", Harbor: "harbor", CertManager: "certManager",
}

// Resolve returns every chart with the Input's overrides applied. Values that
// cannot be decoded are reported rather than dropped, and so is a version
// other than the pin: the function's values are written, and checked
// (testdata/, test/helmcharts), for the pinned version only, and Helm would
// take values keys another version renamed without a word.
func Resolve(in v1beta1.Charts) (map[string]Chart, error) {
	overrides := map[string]*v1beta1.Chart{
		Loki: in.Loki, Tempo: in.Tempo, Grafana: in.Grafana, Alloy: in.Alloy,
		GatewayFabric: in.GatewayFabric, Headlamp: in.Headlamp, Harbor: in.Harbor,
		CertManager: in.CertManager,
	}
	out := make(map[string]Chart, len(builtin))
	for key, c := range builtin {
		o := overrides[key]
		if o != nil {
			c.Repository = cmp.Or(o.Repository, c.Repository)
			c.Name = cmp.Or(o.Name, c.Name)
			if o.Version != "" && o.Version != c.Version {
				return nil, &VersionError{Chart: key, Version: o.Version, Pinned: c}
			}
			c.Namespace = cmp.Or(o.Namespace, c.Namespace)
			if o.Values != nil && len(o.Values.Raw) > 0 {
				if err := json.Unmarshal(o.Values.Raw, &c.Values); err != nil {
					return nil, &OverrideError{Chart: key, Err: err}
				}
			}
		}
		out[key] = c
	}
	return out, nil
}

// OverrideError reports Input chart values that are not a JSON object.
type OverrideError struct {
	Chart string
	Err   error
}

func (e *OverrideError) Error() string {
	return "input charts." + inputField[e.Chart] + ".values must be an object: " + e.Err.Error()
}

// VersionError reports an Input chart version the function has no values
// keys recorded for.
type VersionError struct {
	Chart, Version string
	Pinned         Chart
}

func (e *VersionError) Error() string {
	return fmt.Sprintf("input charts.%s.version: Unsupported value: %q: the function's values for %s are written and checked for chart %s %s only (fn/charts/testdata/%s/%s); remove the version override, or set %q",
		inputField[e.Chart], e.Version, e.Chart, e.Pinned.Name, e.Pinned.Version, e.Chart, e.Pinned.Version, e.Pinned.Version)
}
