package publish

import (
	"regexp"
	"testing"

	"github.com/platformcluster/function-platform-cluster/fn/compose"
)

// NGINX Gateway Fabric's ClientSettingsPolicy CRD cannot be had offline
// (its Go module is not served), so its rules at v2.4.0 are restated here:
// body.maxSize matches Size's pattern (apis/v1alpha1/shared_types.go) and
// targetRef is an HTTPRoute of the Gateway API group
// (clientsettingspolicy_types.go's XValidations), in the policy's namespace.
func TestUnlimitedBodyFollowsTheCRDsRules(t *testing.T) {
	ui := UI{Name: "harbor", Namespace: "harbor", Service: "harbor", Port: 80}
	r := UnlimitedBody(compose.Owner{XR: "x", Cluster: "c"}, ui)
	m := r.Object["spec"].(map[string]any)["forProvider"].(map[string]any)["manifest"].(map[string]any)
	if m["apiVersion"] != "gateway.nginx.org/v1alpha1" || m["kind"] != "ClientSettingsPolicy" {
		t.Errorf("apiVersion/kind = %v/%v", m["apiVersion"], m["kind"])
	}
	sp := m["spec"].(map[string]any)
	size := sp["body"].(map[string]any)["maxSize"].(string)
	if !regexp.MustCompile(`^\d{1,4}(k|m|g)?$`).MatchString(size) {
		t.Errorf("body.maxSize %q does not match the CRD's pattern", size)
	}
	ref := sp["targetRef"].(map[string]any)
	if ref["group"] != "gateway.networking.k8s.io" || ref["kind"] != "HTTPRoute" || ref["name"] != ui.Name {
		t.Errorf("targetRef = %v, want the UI's HTTPRoute", ref)
	}
	route := UIRoute(compose.Owner{XR: "x", Cluster: "c"}, ui, Host{Name: "harbor.p.acme.io", Slug: "harbor"}, Gateway{Name: "gw", Namespace: "nginx-gateway"}, true)
	rm := route.Object["spec"].(map[string]any)["forProvider"].(map[string]any)["manifest"].(map[string]any)["metadata"].(map[string]any)
	if rm["name"] != ref["name"] || rm["namespace"] != m["metadata"].(map[string]any)["namespace"] {
		t.Errorf("the policy targets %v but the route is %v", ref, rm)
	}
}
