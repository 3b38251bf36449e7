// Package fntest builds RunFunctionRequests for tests, benchmarks and the
// load generator, including the observed state a control plane would report
// after each reconcile.
package fntest

import (
	"context"

	"google.golang.org/protobuf/types/known/structpb"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/resource"
)

// Input is the function Input with every default.
const Input = `{"apiVersion":"platformcluster.fn.crossplane.io/v1beta1","kind":"Input"}`

// Full is a claim with every add-on but Harbor and two node pools.
const Full = `{
	"clusterSpec": {
		"clusterName": "demo", "labels": {"team": "platform"},
		"nodePools": [{"name": "default", "type": "g6-standard-4", "count": 3}, {"name": "burst", "type": "g6-standard-8", "count": 1}]
	},
	"components": {
		"gatewayFabric": {"enabled": true},
		"o11yStack": {"enabled": true, "tempo": false},
		"headlamp": {"enabled": true},
		"harbor": {"enabled": false}
	}
}`

// Minimal is the reference's short claim.
const Minimal = `{"clusterSpec": {"clusterName": "demo", "labels": {"team": "platform"}, "nodePool": {"count": 3, "type": "g6-standard-6"}}}`

// XR returns an observed XPlatformCluster named demo-x7k2p with the spec.
func XR(spec string) *fnv1.Resource {
	return &fnv1.Resource{Resource: resource.MustStructJSON(`{
		"apiVersion": "platform.fpc.dev/v1alpha1",
		"kind": "XPlatformCluster",
		"metadata": {"name": "demo-x7k2p"},
		"spec": ` + spec + `}`)}
}

// GatewayAddress is the address a ready default Gateway reports.
const GatewayAddress = "192.0.2.10"

// gatewayKey is the default Gateway's composition resource name.
const gatewayKey = "object-gateway"

// Ready says whether the simulated providers report a resource Ready.
type Ready func(key string) bool

// All reports every resource ready.
func All(string) bool { return true }

// None reports no resource ready.
func None(string) bool { return false }

// RequestFor builds the request Crossplane sends after last was applied and
// the providers reported ready(key) for each resource. The cluster publishes
// its kubeconfig once ready.
func RequestFor(spec string, last *fnv1.RunFunctionResponse, ready Ready) *fnv1.RunFunctionRequest {
	return &fnv1.RunFunctionRequest{
		Input:    resource.MustStructJSON(Input),
		Observed: &fnv1.State{Composite: XR(spec), Resources: Observed(last, ready, true)},
	}
}

// Observed returns what Crossplane observes once last was applied and the
// providers reported ready(key) for each resource; kubeconfig says whether
// a ready cluster has published its kubeconfig connection detail.
func Observed(last *fnv1.RunFunctionResponse, ready Ready, kubeconfig bool) map[string]*fnv1.Resource {
	obs := map[string]*fnv1.Resource{}
	for key, r := range last.GetDesired().GetResources() {
		o, _ := structpb.NewStruct(r.GetResource().AsMap())
		if ready(key) {
			o.Fields["status"] = structpb.NewStructValue(resource.MustStructJSON(`{"conditions":[{"type":"Ready","status":"True","reason":"Available"},{"type":"Synced","status":"True","reason":"ReconcileSuccess"}]}`))
		}
		if key == gatewayKey && ready(key) {
			// A programmed Gateway has the address of its load balancer.
			o.Fields["status"].GetStructValue().Fields["atProvider"] = structpb.NewStructValue(resource.MustStructJSON(
				`{"manifest":{"status":{"addresses":[{"type":"IPAddress","value":"` + GatewayAddress + `"}]}}}`))
		}
		or := &fnv1.Resource{Resource: o}
		if key == "cluster" && ready(key) && kubeconfig {
			or.ConnectionDetails = map[string][]byte{"kubeconfig": []byte("apiVersion: v1\nkind: Config\n")}
		}
		obs[key] = or
	}
	return obs
}

// Runner is anything that runs the function: the Function itself or a gRPC
// client.
type Runner interface {
	RunFunction(ctx context.Context, req *fnv1.RunFunctionRequest) (*fnv1.RunFunctionResponse, error)
}

// Converge reconciles until the set of composed resources stops growing
// (at most rounds times) with every resource ready, and returns the last
// request: the steady state of a healthy platform.
func Converge(ctx context.Context, r Runner, spec string, rounds int) (*fnv1.RunFunctionRequest, error) {
	var last *fnv1.RunFunctionResponse
	req := RequestFor(spec, nil, All)
	for range rounds {
		rsp, err := r.RunFunction(ctx, req)
		if err != nil {
			return nil, err
		}
		next := RequestFor(spec, rsp, All)
		if last != nil && len(rsp.GetDesired().GetResources()) == len(last.GetDesired().GetResources()) {
			return next, nil
		}
		last, req = rsp, next
	}
	return req, nil
}
