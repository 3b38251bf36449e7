// Package charts holds the pinned Helm chart of every add-on and merges a
// platform team's overrides over it.
package charts

import (
	"cmp"

	"encoding/json"

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
	Loki           = "loki"
	Tempo          = "tempo"
	Grafana        = "grafana"
	Alloy          = "alloy"
	GatewayAPICRDs = "gateway-api-crds"
	GatewayFabric  = "nginx-gateway-fabric"
	Headlamp       = "headlamp"
	Harbor         = "harbor"
)

const (
	grafanaRepo   = "https://grafana.github.io/helm-charts"
	observability = "observability"
	gatewayNS     = "nginx-gateway"
)

// builtin pins every chart to a version this function's values were written
// for. Pinning is what keeps a reconcile from upgrading a release behind the
// platform team's back.
var builtin = map[string]Chart{
	Loki:           {Repository: grafanaRepo, Name: "loki", Version: "6.29.0", Namespace: observability},
	Tempo:          {Repository: grafanaRepo, Name: "tempo", Version: "1.21.1", Namespace: observability},
	Grafana:        {Repository: grafanaRepo, Name: "grafana", Version: "9.2.2", Namespace: observability},
	Alloy:          {Repository: grafanaRepo, Name: "alloy", Version: "1.1.1", Namespace: observability},
	GatewayAPICRDs: {Repository: "oci://docker.io/envoyproxy", Name: "gateway-crds-helm", Version: "v1.6.0", Namespace: gatewayNS},
	GatewayFabric:  {Repository: "oci://ghcr.io/nginx/charts", Name: "nginx-gateway-fabric", Version: "2.4.0", Namespace: gatewayNS},
	Headlamp:       {Repository: "https://kubernetes-sigs.github.io/headlamp/", Name: "headlamp", Version: "0.31.1", Namespace: "headlamp"},
	Harbor:         {Repository: "https://helm.goharbor.io", Name: "harbor", Version: "1.17.0", Namespace: "harbor"},
}

// Resolve returns every chart with the Input's overrides applied. Values that
// cannot be decoded are reported rather than dropped.
func Resolve(in v1beta1.Charts) (map[string]Chart, error) {
	overrides := map[string]*v1beta1.Chart{
		Loki: in.Loki, Tempo: in.Tempo, Grafana: in.Grafana, Alloy: in.Alloy,
		GatewayAPICRDs: in.GatewayAPICRDs, GatewayFabric: in.GatewayFabric,
		Headlamp: in.Headlamp, Harbor: in.Harbor,
	}
	out := make(map[string]Chart, len(builtin))
	for key, c := range builtin {
		o := overrides[key]
		if o != nil {
			c.Repository = cmp.Or(o.Repository, c.Repository)
			c.Name = cmp.Or(o.Name, c.Name)
			c.Version = cmp.Or(o.Version, c.Version)
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
	return "input charts." + e.Chart + ".values must be an object: " + e.Err.Error()
}
