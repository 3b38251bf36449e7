package addons

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/platformcluster/function-platform-cluster/fn/gatewayapi"
	"github.com/platformcluster/function-platform-cluster/fn/tls"
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
	items := crdItems(owner, Gateway{KubectlImage: "registry.k8s.io/kubectl:v1.33.5"})
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
	if sp["deletionPolicy"] != "Orphan" || m["spec"].(map[string]any)["ttlSecondsAfterFinished"] != crdsTTL {
		t.Errorf("the Job must be orphaned by its Object and deleted by Kubernetes after it finished (a Job deleted through the API leaves its pods): deletionPolicy %v, ttlSecondsAfterFinished %v",
			sp["deletionPolicy"], m["spec"].(map[string]any)["ttlSecondsAfterFinished"])
	}
	if CRDsInstaller(Gateway{KubectlImage: "registry.k8s.io/kubectl:v1.33.5"}) != name {
		t.Errorf("CRDsInstaller must name the composed Job %s", name)
	}
	other := crdItems(owner, Gateway{KubectlImage: "registry.k8s.io/kubectl:v1.34.0"})
	if on := other[len(other)-1].Object["spec"].(map[string]any)["forProvider"].(map[string]any)["manifest"].(map[string]any)["metadata"].(map[string]any)["name"]; on == name {
		t.Errorf("another image must be another Job (a Job's pod template is immutable), both are %s", name)
	}
}

// TestCRDsManifest: a platform without internet points the Job at its own
// copy of the install file, which is another Job.
func TestCRDsManifest(t *testing.T) {
	for _, manifest := range []string{"https://mirror.example/gateway-api/v1.5.1/standard-install.yaml", "/manifests/gateway-api/standard-install.yaml"} {
		g := Gateway{KubectlImage: "kubectl:1", CRDsManifest: manifest}
		items := crdItems(owner, g)
		m := items[len(items)-1].Object["spec"].(map[string]any)["forProvider"].(map[string]any)["manifest"].(map[string]any)
		pod := m["spec"].(map[string]any)["template"].(map[string]any)["spec"].(map[string]any)
		apply := pod["initContainers"].([]any)[0].(map[string]any)["args"].([]any)
		if apply[len(apply)-1] != manifest {
			t.Errorf("apply must read %s, got %v", manifest, apply)
		}
		if CRDsInstaller(g) == CRDsInstaller(Gateway{KubectlImage: "kubectl:1"}) {
			t.Errorf("%s: another install file must be another Job", manifest)
		}
	}
}

// TestCRDsInstalled: the XR remembers the installer once its Job was seen
// Complete, and only the current one.
func TestCRDsInstalled(t *testing.T) {
	g := Gateway{KubectlImage: "kubectl:1"}
	current := CRDsInstaller(g)
	old := "gateway-api-crds-v1-4-1-00000000"
	cases := map[string]struct {
		remembered, observed, complete, want string
	}{
		"NothingYet":                {},
		"JobRunning":                {observed: current, complete: "False"},
		"JobComplete":               {observed: current, complete: "True", want: current},
		"Remembered":                {remembered: current, want: current},
		"OldJobCompleteIsNotEnough": {observed: old, complete: "True"},
		"NewPinForgetsTheOld":       {remembered: old},
		"NewJobCompleteAfterOld":    {remembered: old, observed: current, complete: "True", want: current},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			g := g
			g.CRDsInstalled = tc.remembered
			if got := CRDsInstalled(g, tc.observed, tc.complete); got != tc.want {
				t.Errorf("CRDsInstalled(...) = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestPlanGatewayInstalled: once the XR remembers the current installer,
// neither it nor the waits for it are composed; another pin brings both
// back.
func TestPlanGatewayInstalled(t *testing.T) {
	g := Gateway{Name: "gw", Namespace: "nginx-gateway", ClassName: "nginx", KubectlImage: "kubectl:1"}
	sel := Selection{Gateway: true, Issuer: &tls.Issuer{Name: "letsencrypt", Server: "https://acme.example/directory", Email: "ops@example.com"}}
	g.CRDsInstalled = CRDsInstaller(g)
	for _, i := range Plan(owner, sel, g, resolve(t, v1beta1.Charts{})) {
		if strings.HasPrefix(i.Key, CRDsKey) {
			t.Errorf("%s is composed although the XR says its Job completed", i.Key)
		}
		if slices.Contains(i.After, CRDsKey) {
			t.Errorf("%s waits for %s, which is no longer composed", i.Key, CRDsKey)
		}
	}
	g.CRDsInstalled = "gateway-api-crds-v1-4-1-00000000"
	after := map[string][]string{}
	for _, i := range Plan(owner, sel, g, resolve(t, v1beta1.Charts{})) {
		after[i.Key] = i.After
	}
	if _, ok := after[CRDsKey]; !ok {
		t.Errorf("another installer completed before: the current one must be composed")
	}
	for _, k := range []string{"release-nginx-gateway-fabric", "release-cert-manager"} {
		if !slices.Contains(after[k], CRDsKey) {
			t.Errorf("%s must wait for %s, got %v", k, CRDsKey, after[k])
		}
	}
}
