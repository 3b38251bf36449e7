package addons

import (
	"sync"

	"google.golang.org/protobuf/types/known/structpb"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/platformcluster/function-platform-cluster/fn/charts"
	"github.com/platformcluster/function-platform-cluster/fn/compose"
	"github.com/platformcluster/function-platform-cluster/fn/gatewayapi"
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

// CRDKey is the composition resource name of the Object that installs
// the Gateway API CRD with the given plural name.
func CRDKey(plural string) string { return "object-crd-" + plural }

// crdItems install each standard-channel Gateway API CRD as an Object of
// its own: NGINX Gateway Fabric's chart does not ship them, and as one Helm
// release they outgrow the Secret Helm keeps a release in. The Objects
// carry only the CRD's name until FillCRDManifests puts the whole CRD in
// the response.
//
// Deleting an Object leaves its CRD on the cluster (deletionPolicy Orphan),
// as Helm leaves a chart's CRDs: the CRDs go with the cluster when the claim
// goes. Deleting them races every Object that still manages a Gateway or
// HTTPRoute: once the CRD is gone, provider-kubernetes can no longer observe
// such an Object's resource and its deletion never completes (seen in
// test/live when a workload was removed just before the claim).
func crdItems(o compose.Owner) []Item {
	crds := gatewayapi.CRDs()
	items := make([]Item, 0, len(crds))
	for _, c := range crds {
		r := object.Wrap(o, CRDKey(c.Plural), "crd-"+c.Plural, crdStub(c), gatewayapi.Established, "gateway")
		r.Object["spec"].(map[string]any)["deletionPolicy"] = "Orphan"
		items = append(items, Item{Resource: r, Component: "gateway"})
	}
	return items
}

func crdStub(c gatewayapi.CRD) map[string]any {
	return map[string]any{
		"apiVersion": c.Manifest["apiVersion"],
		"kind":       c.Manifest["kind"],
		"metadata":   map[string]any{"name": c.Manifest["metadata"].(map[string]any)["name"]},
	}
}

// FillCRDManifests puts each Gateway API CRD into its Object in a response's
// desired resources. The CRDs are most of a response's bytes; converted to
// protobuf once and shared, read-only, by every response, they cost a call
// almost nothing, where converting them on every call took several times
// the rest of the function's work.
func FillCRDManifests(desired map[string]*fnv1.Resource) {
	for plural, m := range crdManifests() {
		r := desired[CRDKey(plural)]
		fp := r.GetResource().GetFields()["spec"].GetStructValue().GetFields()["forProvider"].GetStructValue()
		if fp == nil || fp.Fields == nil {
			continue
		}
		fp.Fields["manifest"] = m
	}
}

var crdManifests = sync.OnceValue(func() map[string]*structpb.Value {
	out := map[string]*structpb.Value{}
	for _, c := range gatewayapi.CRDs() {
		v, err := structpb.NewValue(c.Manifest)
		if err != nil {
			panic(err) // parsed from YAML, so JSON-compatible; TestFillCRDManifests converts them all
		}
		out[c.Plural] = v
	}
	return out
})

// gatewayItems are the CRDs, then the controller, then the Gateway. Each
// object of a Gateway API kind uses its CRD, so the CRD, whose deletion
// would delete every such object behind Crossplane's back, goes last.
func gatewayItems(o compose.Owner, g Gateway, cs map[string]charts.Chart) []Item {
	crds := crdItems(o)
	all := make([]string, 0, len(crds))
	for _, c := range crds {
		all = append(all, c.Key)
	}
	fabric := ReleaseKey(charts.GatewayFabric)
	return append(crds,
		Item{
			Resource: Release(o, charts.GatewayFabric, cs[charts.GatewayFabric], gatewayFabricValues(g)), After: all, Component: "gateway",
			// The chart installs the GatewayClass.
			Uses: []string{CRDKey("gatewayclasses")},
		},
		Item{
			Resource:  object.Wrap(o, GatewayKey, "gateway", gatewayManifest(g), programmed, "gateway"),
			After:     []string{fabric},
			Component: "gateway",
			// NGINX Gateway Fabric deletes the LoadBalancer Service it
			// made for the Gateway when the Gateway goes, but only while
			// it runs: uninstalled first, it leaves the Service, and its
			// NodeBalancer, behind.
			Uses: []string{CRDKey("gateways"), fabric},
		},
	)
}
