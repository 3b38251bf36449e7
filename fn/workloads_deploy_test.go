package fn

import (
	"context"
	"strings"
	"testing"

	"github.com/crossplane/function-sdk-go/logging"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/platformcluster/function-platform-cluster/fn/fntest"
)

// deployTime holds Score files as teams write them, image left to deploy
// time, and a frontend depending on a workload that does not convert.
const deployTime = `{
	"clusterSpec": {"clusterName": "demo", "labels": {"team": "platform"}},
	"workloads": [
		{"name": "shop", "image": "ghcr.io/acme/shop:1.4.2",
		 "containers": {"sidecar": {"image": "mirror.acme.io/envoy:v1.31.0"}},
		 "environment": {"MODE": {"value": "prod"}},
		 "score": {"apiVersion": "score.dev/v1b1", "metadata": {"name": "shop"},
			"containers": {"main": {"image": ".", "variables": {"MODE": "${resources.env.MODE}"}}, "sidecar": {"image": "envoyproxy/envoy:v1.31.0"}},
			"service": {"ports": {"web": {"port": 80}}},
			"resources": {"env": {"type": "environment"}}}},
		{"name": "cart", "score": {"apiVersion": "score.dev/v1b1", "metadata": {"name": "cart"},
			"containers": {"main": {"image": "."}}, "service": {"ports": {"web": {"port": 80}}}}},
		{"name": "frontend", "image": "ghcr.io/acme/frontend:2.0.0", "score": {"apiVersion": "score.dev/v1b1", "metadata": {"name": "frontend"},
			"containers": {"main": {"image": ".", "variables": {"CART": "${resources.cart.name}", "SHOP": "${resources.shop.name}"}}},
			"resources": {"cart": {"type": "service"}, "shop": {"type": "service"}}}}
	]
}`

// TestDeployTimeValues: the claim's images and environment reach the
// workload's Deployment; "." with no image is a warning naming the claim
// field; a workload depending on it is delivered with a warning and a
// status that says so.
func TestDeployTimeValues(t *testing.T) {
	f := New(logging.NewNopLogger())
	req, err := fntest.Converge(context.Background(), f, deployTime, 10)
	if err != nil {
		t.Fatal(err)
	}
	rsp, err := f.RunFunction(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	var warnings []string
	for _, r := range rsp.GetResults() {
		if r.GetSeverity() == fnv1.Severity_SEVERITY_FATAL {
			t.Fatalf("a workload's problem must not stop the claim: %s", r.GetMessage())
		}
		warnings = append(warnings, r.GetMessage())
	}
	all := strings.Join(warnings, "\n")
	for _, want := range []string{
		`workload cart: containers.main.image: "." leaves the image to deploy time; set spec.workloads[1].image`,
		`workload frontend: resources.cart: depends on workload "cart", which did not convert`,
	} {
		if !strings.Contains(all, want) {
			t.Errorf("want a warning containing %q, got:\n%s", want, all)
		}
	}
	res := rsp.GetDesired().GetResources()
	d, ok := res["wl-shop-deployment-shop"]
	if !ok {
		t.Fatal("shop is not delivered")
	}
	s := d.GetResource().String()
	for _, want := range []string{"ghcr.io/acme/shop:1.4.2", "mirror.acme.io/envoy:v1.31.0", `"prod"`} {
		if !strings.Contains(s, want) {
			t.Errorf("shop's Deployment lacks %s: %s", want, s)
		}
	}
	if _, ok := res["wl-frontend-deployment-frontend"]; !ok {
		t.Error("frontend must be delivered although cart did not convert")
	}
	for _, w := range rsp.GetDesired().GetComposite().GetResource().AsMap()["status"].(map[string]any)["workloads"].([]any) {
		m := w.(map[string]any)
		if m["name"] == "frontend" && m["message"] != "depends on workloads that did not convert: cart" {
			t.Errorf("status.workloads frontend: %v", m)
		}
	}
}
