package addons

import (
	"github.com/platformcluster/function-platform-cluster/fn/charts"
	"github.com/platformcluster/function-platform-cluster/fn/compose"
	"github.com/platformcluster/function-platform-cluster/fn/object"
	"github.com/platformcluster/function-platform-cluster/fn/publish"
)

// GatewayKey is the composition resource name of the default Gateway.
const GatewayKey = "object-gateway"

// Gateway names the default Gateway.
type Gateway struct {
	Name, Namespace, ClassName string
	// HTTPS are the hosts that get an HTTPS listener.
	HTTPS []publish.Host
	// KubectlImage runs the Job that installs the Gateway API CRDs.
	KubectlImage string
	// CRDsManifest is the install file that Job applies: a URL, or a path
	// in KubectlImage; empty is the pinned release's on GitHub.
	CRDsManifest string
	// CRDsInstalled is the installer Job the XR's status says completed
	// (CRDsStatusField).
	CRDsInstalled string
}

func gatewayFabricValues(g Gateway) map[string]any {
	return map[string]any{
		"nginxGateway": map[string]any{"gatewayClassName": g.ClassName},
	}
}

// programmed is ready when the gateway controller has programmed the
// Gateway, which is what HTTPRoutes need, rather than when it was applied.
var programmed = object.ConditionTrue("Programmed")

// gatewayManifest is the default Gateway every workload's HTTPRoute attaches
// to; it admits routes from all namespaces because each workload has its own.
func gatewayManifest(g Gateway) map[string]any {
	return map[string]any{
		"apiVersion": "gateway.networking.k8s.io/v1",
		"kind":       "Gateway",
		"metadata":   map[string]any{"name": g.Name, "namespace": g.Namespace},
		"spec": map[string]any{
			"gatewayClassName": g.ClassName,
			"listeners":        publish.Listeners(g.HTTPS),
		},
	}
}

// gatewayItems are the CRDs' installer, then the controller once every CRD
// is Established, then the Gateway. Once the installer completed, it is
// left out, and so is the controller's wait for it.
func gatewayItems(o compose.Owner, g Gateway, cs map[string]charts.Chart) []Item {
	fabric := ReleaseKey(charts.GatewayFabric)
	return append(crdItems(o, g),
		Item{Resource: Release(o, charts.GatewayFabric, cs[charts.GatewayFabric], gatewayFabricValues(g)), After: g.crdsAfter(), Component: "gateway"},
		Item{
			Resource:  object.Wrap(o, GatewayKey, "gateway", gatewayManifest(g), programmed, "gateway"),
			After:     []string{fabric},
			Component: "gateway",
			// NGINX Gateway Fabric deletes the LoadBalancer Service it
			// made for the Gateway when the Gateway goes, but only while
			// it runs: uninstalled first, it leaves the Service, and its
			// NodeBalancer, behind.
			Uses: []string{fabric},
		},
	)
}
