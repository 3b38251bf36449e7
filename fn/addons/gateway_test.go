package addons

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/platformcluster/function-platform-cluster/fn/gatewayapi"
	"github.com/platformcluster/function-platform-cluster/input/v1beta1"
)

func TestPlanGatewayOrdering(t *testing.T) {
	items := Plan(owner, Selection{Gateway: true}, Gateway{Name: "gw", Namespace: "nginx-gateway", ClassName: "nginx", KubectlImage: "kubectl:1"}, resolve(t, v1beta1.Charts{}))
	type order struct{ After, Uses []string }
	got := map[string]order{}
	byKey := map[string]Item{}
	for _, i := range items {
		got[i.Key] = order{i.After, i.Uses}
		byKey[i.Key] = i
	}
	want := map[string]order{
		"object-gateway-api-crds-serviceaccount":     {},
		"object-gateway-api-crds-clusterrole":        {},
		"object-gateway-api-crds-clusterrolebinding": {},
		"object-gateway-api-crds":                    {},
		"release-nginx-gateway-fabric":               {After: []string{"object-gateway-api-crds"}},
		"object-gateway":                             {After: []string{"release-nginx-gateway-fabric"}, Uses: []string{"release-nginx-gateway-fabric"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Plan(...) ordering: -want, +got:\n%s", diff)
	}
	gw := byKey["object-gateway"].Object["spec"].(map[string]any)["forProvider"].(map[string]any)["manifest"].(map[string]any)
	if gw["kind"] != "Gateway" || gw["spec"].(map[string]any)["gatewayClassName"] != "nginx" {
		t.Errorf("object-gateway does not wrap the default Gateway: %v", gw)
	}
}

// TestCRDJob: the Job applies the pinned release's install file and is
// ready only once it waited for every CRD to be Established, which is what
// NGINX Gateway Fabric waits for.
func TestCRDJob(t *testing.T) {
	items := crdItems(owner, "registry.k8s.io/kubectl:v1.33.5")
	job := items[len(items)-1]
	if job.Key != CRDsKey {
		t.Fatalf("the Job must come last, under %s; got %s", CRDsKey, job.Key)
	}
	sp := job.Object["spec"].(map[string]any)
	if q := sp["readiness"].(map[string]any)["celQuery"].(string); !strings.Contains(q, "'Complete'") {
		t.Errorf("the Job's Object must be ready once the Job is Complete, got %v", q)
	}
	m := sp["forProvider"].(map[string]any)["manifest"].(map[string]any)
	name := m["metadata"].(map[string]any)["name"].(string)
	if !strings.HasPrefix(name, "gateway-api-crds-"+strings.ReplaceAll(gatewayapi.Version, ".", "-")+"-") || len(name) > 63 {
		t.Errorf("Job name %q must carry the Gateway API version and fit a label value", name)
	}
	pod := m["spec"].(map[string]any)["template"].(map[string]any)["spec"].(map[string]any)
	for _, c := range append(pod["initContainers"].([]any), pod["containers"].([]any)...) {
		if cmd := c.(map[string]any)["command"]; !cmp.Equal(cmd, []any{"kubectl"}) {
			t.Errorf("%v: command %v, want kubectl found on PATH (the image's entrypoint may be anything)", c.(map[string]any)["name"], cmd)
		}
	}
	apply := pod["initContainers"].([]any)[0].(map[string]any)["args"].([]any)
	wantApply := []any{"apply", "--server-side", "--force-conflicts", "--field-manager=function-platform-cluster", "-f",
		"https://github.com/kubernetes-sigs/gateway-api/releases/download/" + gatewayapi.Version + "/standard-install.yaml"}
	if diff := cmp.Diff(wantApply, apply); diff != "" {
		t.Errorf("apply: -want, +got:\n%s", diff)
	}
	wait := pod["containers"].([]any)[0].(map[string]any)["args"].([]any)
	var waited []string
	for _, a := range wait[3:] {
		waited = append(waited, strings.TrimPrefix(a.(string), "crd/"))
	}
	if wait[1] != "--for=condition=Established" {
		t.Errorf("the Job must wait for Established, got %v", wait)
	}
	if diff := cmp.Diff(gatewayapi.Names(), waited); diff != "" {
		t.Errorf("the Job must wait for every CRD: -want, +got:\n%s", diff)
	}
	other := crdItems(owner, "registry.k8s.io/kubectl:v1.34.0")
	if on := other[len(other)-1].Object["spec"].(map[string]any)["forProvider"].(map[string]any)["manifest"].(map[string]any)["metadata"].(map[string]any)["name"]; on == name {
		t.Errorf("another image must be another Job (a Job's pod template is immutable), both are %s", name)
	}
}
