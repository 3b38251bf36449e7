package fn

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/crossplane/function-sdk-go/logging"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/resource"

	"github.com/platformcluster/function-platform-cluster/fn/fntest"
)

const withWorkloads = `{
	"clusterSpec": {"clusterName": "demo", "labels": {"team": "platform"}},
	"components": {"gatewayFabric": {"enabled": true}, "userApps": {"enabled": ["referenced"], "domain": "apps.example.com"}},
	"workloads": [
		{"name": "shop", "score": {
			"apiVersion": "score.dev/v1b1", "metadata": {"name": "shop"},
			"containers": {"main": {"image": "nginx:1.27", "variables": {"DB_PASSWORD": "${resources.db.password}"}}},
			"service": {"ports": {"web": {"port": 80, "targetPort": 8080}}},
			"resources": {
				"db": {"type": "postgres"},
				"dns": {"type": "dns"},
				"route": {"type": "route", "params": {"host": "${resources.dns.host}", "path": "/", "port": "web"}}
			}
		}},
		{"name": "broken", "score": {"apiVersion": "score.dev/v1b1", "metadata": {"name": "broken"}, "containers": {"main": {}}}}
	]
}`

func TestWorkloads(t *testing.T) {
	f := New(logging.NewNopLogger())
	req, err := fntest.Converge(context.Background(), f, withWorkloads, 10)
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
			t.Fatalf("one bad workload must not stop the claim: %s", r.GetMessage())
		}
		warnings = append(warnings, r.GetMessage())
	}
	all := strings.Join(warnings, "\n")
	for _, want := range []string{
		"workload broken: containers.main.image: is required (from spec.workloads[1].score)",
		"spec.components.userApps.enabled[0]: workload referenced: the XR has no claim namespace to look up its ConfigMap in",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("want a warning containing %q, got:\n%s", want, all)
		}
	}

	res := rsp.GetDesired().GetResources()
	if _, ok := res["cluster"]; !ok {
		t.Error("the cluster must still be composed")
	}
	var shop int
	for k, r := range res {
		if !strings.HasPrefix(k, "wl-shop-") {
			continue
		}
		shop++
		m := r.GetResource().AsMap()["spec"].(map[string]any)["forProvider"].(map[string]any)["manifest"].(map[string]any)
		if m["kind"] == "Secret" {
			if _, has := m["data"]; has {
				t.Errorf("%s: a Secret with data reached an Object spec", k)
			}
		}
	}
	if shop == 0 {
		t.Fatal("the valid workload was not delivered")
	}
	status := rsp.GetDesired().GetComposite().GetResource().AsMap()["status"].(map[string]any)
	ws := status["workloads"].([]any)
	got := map[string]map[string]any{}
	for _, w := range ws {
		m := w.(map[string]any)
		got[m["name"].(string)] = m
	}
	if got["shop"]["ready"] != true || got["shop"]["url"] != "http://shop-dns.apps.example.com/" {
		t.Errorf("status.workloads shop: want ready with its URL, got %v", got["shop"])
	}
	for _, n := range []string{"broken", "referenced"} {
		if got[n]["ready"] != false || got[n]["message"] == "" {
			t.Errorf("status.workloads %s: want not ready with a message, got %v", n, got[n])
		}
	}
	// The password output is wired by reference: no env var in any Object
	// carries a literal value for it.
	for k, r := range res {
		if strings.Contains(k, "deployment") && strings.Contains(r.GetResource().String(), "DB_PASSWORD") &&
			!strings.Contains(r.GetResource().String(), "secretKeyRef") {
			t.Errorf("%s: DB_PASSWORD is not a secretKeyRef", k)
		}
	}
}

// TestBrokenSpecKeepsTheDeliveredWorkload: a workload that was delivered and
// whose spec then becomes invalid keeps its Objects, unchanged, instead of
// being deleted; status says why it is not updated.
func TestBrokenSpecKeepsTheDeliveredWorkload(t *testing.T) {
	f := New(logging.NewNopLogger())
	req, err := fntest.Converge(context.Background(), f, withWorkloads, 10)
	if err != nil {
		t.Fatal(err)
	}
	before, err := f.RunFunction(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	broken := strings.Replace(withWorkloads, `"image": "nginx:1.27", `, "", 1)
	if broken == withWorkloads {
		t.Fatal("test spec did not change")
	}
	req.Observed.Composite = fntest.XR(broken)
	after, err := f.RunFunction(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	var kept int
	for k, r := range before.GetDesired().GetResources() {
		if !strings.HasPrefix(k, "wl-shop-") && !strings.HasPrefix(k, "usage-wl-shop-") {
			continue
		}
		kept++
		got, ok := after.GetDesired().GetResources()[k]
		if !ok {
			t.Errorf("%s was dropped, which would delete it", k)
			continue
		}
		want := r.GetResource().AsMap()
		if !cmp.Equal(want["spec"], got.GetResource().AsMap()["spec"]) {
			t.Errorf("%s: spec changed while its workload cannot be converted", k)
		}
	}
	if kept == 0 {
		t.Fatal("shop was never delivered")
	}
	for _, w := range after.GetDesired().GetComposite().GetResource().AsMap()["status"].(map[string]any)["workloads"].([]any) {
		m := w.(map[string]any)
		if m["name"] == "shop" && (m["ready"] != false || !strings.HasPrefix(m["message"].(string), "kept as last delivered, not updated: not converted: workload shop: containers.main.image")) {
			t.Errorf("status.workloads shop: %v", m)
		}
	}
}

// TestWorkloadsWithPlatformProvisioners: provisioners in the function Input
// serve resource types the function does not know, their Secrets are
// generated on the cluster, and a broken one costs only the workload that
// uses it.
func TestWorkloadsWithPlatformProvisioners(t *testing.T) {
	const claim = `{
	"clusterSpec": {"clusterName": "demo", "labels": {"team": "platform"}},
	"workloads": [
		{"name": "ai", "score": {
			"apiVersion": "score.dev/v1b1", "metadata": {"name": "ai"},
			"containers": {"main": {"image": "nginx:1.27", "variables": {
				"LLM": "${resources.llm.url}", "KEY": "${resources.llm.key}"}}},
			"resources": {"llm": {"type": "llm-model"}}
		}},
		{"name": "mocked", "score": {
			"apiVersion": "score.dev/v1b1", "metadata": {"name": "mocked"},
			"containers": {"main": {"image": "nginx:1.27"}},
			"resources": {"api": {"type": "endpoint"}}
		}}
	]
}`
	const input = `{"apiVersion":"platformcluster.fn.crossplane.io/v1beta1","kind":"Input","workloads":{"provisioners":[
		{"uri": "template://platform/llm", "type": "llm-model", "class": null,
		 "init": "key: {{ randAlphaNum 20 }}\n",
		 "outputs": "url: http://llm:11434\nkey: {{ .Init.key }}\n",
		 "manifests": "- apiVersion: v1\n  kind: Secret\n  metadata: {name: llm-key}\n  data:\n    key: {{ .Init.key | b64enc }}\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: llm}\n  data: {model: smollm2}\n"},
		{"uri": "template://platform/endpoint", "type": "endpoint",
		 "outputs": "url: {{ if not .Params.spec }}{{ fail \"params.spec is required\" }}{{ end }}\n"}
	]}}`
	f := New(logging.NewNopLogger())
	req, err := fntest.Converge(context.Background(), f, claim, 10)
	if err != nil {
		t.Fatal(err)
	}
	req.Input = resource.MustStructJSON(input)
	rsp, err := f.RunFunction(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	var warnings []string
	for _, r := range rsp.GetResults() {
		if r.GetSeverity() == fnv1.Severity_SEVERITY_FATAL {
			t.Fatalf("a broken provisioner must not stop the claim: %s", r.GetMessage())
		}
		warnings = append(warnings, r.GetMessage())
	}
	want := "workload mocked: resources.api: provisioner template://platform/endpoint: outputs: the outputs template failed"
	if all := strings.Join(warnings, "\n"); !strings.Contains(all, want) {
		t.Errorf("want a warning containing %q, got:\n%s", want, all)
	}
	res := rsp.GetDesired().GetResources()
	for _, key := range []string{"wl-ai-configmap-llm", "wl-ai-job-gen-llm-key"} {
		if _, ok := res[key]; !ok {
			t.Errorf("%s is not composed", key)
		}
	}
	if _, ok := res["wl-ai-secret-llm-key"]; ok {
		t.Error("the provisioner's Secret must be created by the generator Job, not by an Object")
	}
	for k := range res {
		if strings.HasPrefix(k, "wl-mocked-") {
			t.Errorf("%s: the workload with the broken provisioner must not be delivered", k)
		}
	}
	for k, r := range res {
		if strings.Contains(k, "deployment-ai") && !strings.Contains(r.GetResource().String(), "secretKeyRef") {
			t.Errorf("%s: KEY must be read from the generated Secret", k)
		}
	}
}

// TestMixedClaim: the benchmarks' 20 and 50 workloads of every resource
// type compose without a warning and become ready, so the benchmarks
// measure a healthy claim, not a pile of errors.
func TestMixedClaim(t *testing.T) {
	for _, n := range []int{20, 50} {
		t.Run(strconv.Itoa(n), func(t *testing.T) { testMixedClaim(t, n) })
	}
}

func testMixedClaim(t *testing.T, n int) {
	req := convergedMixed(t, n)
	rsp, err := New(logging.NewNopLogger()).RunFunction(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rsp.GetResults() {
		t.Errorf("%s: %s", r.GetSeverity(), r.GetMessage())
	}
	var secrets int
	for k, r := range rsp.GetDesired().GetResources() {
		fp, _ := r.GetResource().AsMap()["spec"].(map[string]any)["forProvider"].(map[string]any)
		m, _ := fp["manifest"].(map[string]any)
		if m["kind"] == "Secret" {
			secrets++
			if m["data"] != nil || m["stringData"] != nil {
				t.Errorf("%s: a Secret with values reached an Object spec", k)
			}
		}
	}
	if secrets != 0 {
		t.Errorf("%d Secrets are Objects; every Score Secret must be created by a generator Job", secrets)
	}
	status := rsp.GetDesired().GetComposite().GetResource().AsMap()["status"].(map[string]any)
	ws := status["workloads"].([]any)
	if len(ws) != n {
		t.Fatalf("status.workloads has %d entries, want %d", len(ws), n)
	}
	for _, w := range ws {
		if m := w.(map[string]any); m["ready"] != true {
			t.Errorf("workload %v is not ready: %v", m["name"], m["message"])
		}
	}
}
