package addons

import (
	"github.com/platformcluster/function-platform-cluster/fn/charts"
	"github.com/platformcluster/function-platform-cluster/fn/compose"
	"github.com/platformcluster/function-platform-cluster/fn/object"
)

// GatewayKey is the composition resource name of the default Gateway.
const GatewayKey = "object-gateway"

// Gateway names the default Gateway.
type Gateway struct {
	Name, Namespace, ClassName string
}

// gatewayAPICRDsValues install only the standard-channel Gateway API CRDs:
// NGINX Gateway Fabric's chart does not ship them.
func gatewayAPICRDsValues() map[string]any {
	return map[string]any{"crds": map[string]any{
		"gatewayAPI":   map[string]any{"enabled": true, "channel": "standard"},
		"envoyGateway": map[string]any{"enabled": false},
	}}
}

func gatewayFabricValues(g Gateway) map[string]any {
	return map[string]any{
		"nginxGateway": map[string]any{"gatewayClassName": g.ClassName},
	}
}

// programmed is ready when the gateway controller has programmed the
// Gateway, which is what HTTPRoutes need, rather than when it was applied.
const programmed = `has(object.status) && has(object.status.conditions) && object.status.conditions.exists(c, c.type == 'Programmed' && c.status == 'True')`

// gatewayManifest is the default Gateway every workload's HTTPRoute attaches
// to; it admits routes from all namespaces because each workload has its own.
func gatewayManifest(g Gateway) map[string]any {
	return map[string]any{
		"apiVersion": "gateway.networking.k8s.io/v1",
		"kind":       "Gateway",
		"metadata":   map[string]any{"name": g.Name, "namespace": g.Namespace},
		"spec": map[string]any{
			"gatewayClassName": g.ClassName,
			"listeners": []any{map[string]any{
				"name":          "http",
				"port":          int64(80),
				"protocol":      "HTTP",
				"allowedRoutes": map[string]any{"namespaces": map[string]any{"from": "All"}},
			}},
		},
	}
}

// gatewayItems are the CRDs, then the controller, then the Gateway.
func gatewayItems(o compose.Owner, g Gateway, cs map[string]charts.Chart) []Item {
	crds := ReleaseKey(charts.GatewayAPICRDs)
	fabric := ReleaseKey(charts.GatewayFabric)
	return []Item{
		{Resource: Release(o, charts.GatewayAPICRDs, cs[charts.GatewayAPICRDs], gatewayAPICRDsValues()), Component: "gateway"},
		{Resource: Release(o, charts.GatewayFabric, cs[charts.GatewayFabric], gatewayFabricValues(g)), After: []string{crds}, Component: "gateway"},
		{
			Resource:  object.Wrap(o, GatewayKey, "gateway", gatewayManifest(g), programmed, "gateway"),
			After:     []string{fabric},
			Component: "gateway",
			// Deleting the CRDs first would strand the Gateway's Object.
			Uses: []string{crds},
		},
	}
}
