package addons

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/platformcluster/function-platform-cluster/input/v1beta1"
)

func TestPlanGatewayOrdering(t *testing.T) {
	items := Plan(owner, Selection{Gateway: true}, Gateway{Name: "gw", Namespace: "nginx-gateway", ClassName: "nginx"}, resolve(t, v1beta1.Charts{}))
	got := map[string][]string{}
	for _, i := range items {
		got[i.Key] = i.After
	}
	want := map[string][]string{
		"release-gateway-api-crds":     nil,
		"release-nginx-gateway-fabric": {"release-gateway-api-crds"},
		"object-gateway":               {"release-nginx-gateway-fabric"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Plan(...) ordering: -want, +got:\n%s", diff)
	}
	gw := items[2].Object["spec"].(map[string]any)["forProvider"].(map[string]any)["manifest"].(map[string]any)
	if gw["kind"] != "Gateway" || gw["spec"].(map[string]any)["gatewayClassName"] != "nginx" {
		t.Errorf("object-gateway does not wrap the default Gateway: %v", gw)
	}
}
