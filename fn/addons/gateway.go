package addons

import (
	"github.com/platformcluster/function-platform-cluster/fn/charts"
	"github.com/platformcluster/function-platform-cluster/fn/gatewayapi"
)

// GatewayKey is the composition resource name of the default Gateway.
const GatewayKey = "object-gateway"

// Gateway names the default Gateway.
type Gateway struct {
	Name, Namespace, ClassName string
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

// CRDKey is the composition resource name of the Object that installs
// the Gateway API CRD with the given plural name.
func CRDKey(plural string) string { return "object-crd-" + plural }

// crdItems install each standard-channel Gateway API CRD as an Object of
// its own: NGINX Gateway Fabric's chart does not ship them, and as one Helm
// release they outgrow the Secret Helm keeps a release in.
func crdItems(p Params) []Item {
	crds := gatewayapi.CRDs()
	items := make([]Item, 0, len(crds))
	for _, c := range crds {
		r := Object(CRDKey(c.Plural), "crd-"+c.Plural, c.Manifest, gatewayapi.Established, p, "gateway")
		items = append(items, Item{Resource: r, Component: "gateway"})
	}
	return items
}

// gatewayItems are the CRDs, then the controller, then the Gateway. Each
// object of a Gateway API kind uses its CRD, so the CRD, whose deletion
// would delete every such object behind Crossplane's back, goes last.
func gatewayItems(g Gateway, p Params) []Item {
	crds := crdItems(p)
	all := make([]string, 0, len(crds))
	for _, c := range crds {
		all = append(all, c.Key)
	}
	fabric := ReleaseKey(charts.GatewayFabric)
	return append(crds,
		Item{
			Resource: Release(charts.GatewayFabric, gatewayFabricValues(g), p), After: all, Component: "gateway",
			// The chart installs the GatewayClass.
			Uses: []string{CRDKey("gatewayclasses")},
		},
		Item{
			Resource:  Object(GatewayKey, "gateway", gatewayManifest(g), programmed, p, "gateway"),
			After:     []string{fabric},
			Component: "gateway",
			Uses:      []string{CRDKey("gateways")},
		},
	)
}
