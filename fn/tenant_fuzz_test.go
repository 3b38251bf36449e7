package fn

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/crossplane/function-sdk-go/logging"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/platformcluster/function-platform-cluster/fn/fntest"
)

// FuzzTenant feeds arbitrary JSON as a tenant's spec, on a ready platform.
// RunFunction must never panic, and every Fatal must name a field.
func FuzzTenant(f *testing.F) {
	f.Add([]byte(tenantSpec))
	f.Add([]byte(`{"clusterRef": {"name": "demo"}, "namespaces": ["a", "kube-system", "A"], "quota": {"cpu": "-1", "pods": -3}}`))
	f.Add([]byte(`{"clusterRef": {"name": "demo"}, "limits": {"cpu": "x"}, "access": [{"role": 3}], "workloads": [{"name": "", "score": null}]}`))
	f.Add([]byte(`{"clusterRef": {"name": "demo", "namespace": "team-a"}, "host": "", "workloads": [{"name": "w", "score": {"containers": 1}}]}`))
	fn := New(logging.NewNopLogger())
	f.Fuzz(func(t *testing.T, data []byte) {
		var in map[string]any
		if json.Unmarshal(data, &in) != nil {
			return
		}
		raw, _ := json.Marshal(in)
		req := tenantRequest(string(raw), map[string][]*fnv1.Resource{platformRequirement: {platformXR("True", false)}}, nil)
		rsp, err := fn.RunFunction(context.Background(), req)
		if err != nil {
			t.Fatalf("RunFunction returned an error instead of a result: %v", err)
		}
		for _, r := range rsp.GetResults() {
			if strings.HasPrefix(r.GetMessage(), internalError) {
				t.Fatalf("RunFunction panicked: %s", r.GetMessage())
			}
			if r.GetSeverity() == fnv1.Severity_SEVERITY_FATAL && !strings.Contains(r.GetMessage(), "spec") {
				t.Errorf("Fatal without a field: %s", r.GetMessage())
			}
		}
	})
}

// The same tenant request gives byte-identical responses, and workloads in
// two namespaces, each with a shared database, stay apart.
func TestTenantDeterministicAcrossNamespaces(t *testing.T) {
	spec := `{"clusterRef": {"name": "demo", "namespace": "team-a"}, "namespaces": ["team-b", "team-b-jobs"],
		"workloads": [
			{"name": "api", "score": {"apiVersion": "score.dev/v1b1", "metadata": {"name": "api"}, "containers": {"main": {"image": "a"}}, "resources": {"db": {"type": "postgres", "id": "main"}}}},
			{"name": "batch", "namespace": "team-b-jobs", "score": {"apiVersion": "score.dev/v1b1", "metadata": {"name": "batch"}, "containers": {"main": {"image": "b"}}, "resources": {"db": {"type": "postgres", "id": "main"}}}}]}`
	ready := map[string][]*fnv1.Resource{platformRequirement: {platformXR("True", false)}}
	a := converge(t, New(logging.NewNopLogger()), tenantRequest(spec, ready, nil))
	b := converge(t, New(logging.NewNopLogger()), tenantRequest(spec, ready, nil))
	marshal := proto.MarshalOptions{Deterministic: true}
	ab, err := marshal.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	bb, _ := marshal.Marshal(b)
	if string(ab) != string(bb) {
		t.Error("two runs of the same tenant request differ")
	}
	namespaces := map[string]bool{}
	for key, r := range a.GetDesired().GetResources() {
		m := r.GetResource().GetFields()["spec"].GetStructValue().GetFields()["forProvider"].GetStructValue().GetFields()["manifest"].GetStructValue().GetFields()
		if strings.HasPrefix(key, "shared-") && m["kind"].GetStringValue() == "StatefulSet" {
			namespaces[m["metadata"].GetStructValue().GetFields()["namespace"].GetStringValue()] = true
		}
	}
	if !namespaces["team-b"] || !namespaces["team-b-jobs"] {
		t.Errorf("want a shared database in each namespace, got %v", namespaces)
	}
	for _, w := range a.GetDesired().GetComposite().GetResource().GetFields()["status"].GetStructValue().GetFields()["workloads"].GetListValue().GetValues() {
		if f := w.GetStructValue().GetFields(); !f["ready"].GetBoolValue() {
			t.Errorf("workload %s not ready: %s", f["name"].GetStringValue(), f["message"].GetStringValue())
		}
	}
}

// A tenant workload whose Score turns bad keeps what was delivered, as a
// platform's does.
func TestTenantKeepsABrokenWorkload(t *testing.T) {
	f := New(logging.NewNopLogger())
	ready := map[string][]*fnv1.Resource{platformRequirement: {platformXR("True", false)}}
	good := converge(t, f, tenantRequest(tenantSpec, ready, nil))
	bad := tenantRequest(strings.Replace(tenantSpec, `"score.dev/v1b1"`, `"score.dev/v2"`, 1), ready, fntest.Observed(good, fntest.All, false))
	rsp, err := f.RunFunction(context.Background(), bad)
	if err != nil {
		t.Fatal(err)
	}
	for key := range good.GetDesired().GetResources() {
		if _, ok := rsp.GetDesired().GetResources()[key]; !ok {
			t.Errorf("%s was delivered and is now dropped", key)
		}
	}
	ws := rsp.GetDesired().GetComposite().GetResource().GetFields()["status"].GetStructValue().GetFields()["workloads"].GetListValue().GetValues()
	if len(ws) != 1 || !strings.HasPrefix(ws[0].GetStructValue().GetFields()["message"].GetStringValue(), "kept as last delivered, not updated: ") {
		t.Errorf("want web kept as last delivered, got %v", ws)
	}
}

func TestTenantID(t *testing.T) {
	long := strings.Repeat("n", 60)
	for _, tc := range []struct{ ns, name, want string }{
		{"team-b", "team-b", "team-b.team-b"},
		{"", "t", "cluster.t"},
		{"team-b", long, "team-b." + long[:47] + "-811a8429"},
	} {
		got := tenantID(tc.ns, tc.name)
		if len(got) > 63 {
			t.Errorf("tenantID(%q, %q) = %q is longer than a label value", tc.ns, tc.name, got)
		}
		if tc.want != "" && got != tc.want {
			t.Errorf("tenantID(%q, %q): want %q, got %q", tc.ns, tc.name, tc.want, got)
		}
	}
}

// BenchmarkRunFunctionTenant composes the example tenant (one namespace,
// one workload) with everything observed ready.
func BenchmarkRunFunctionTenant(b *testing.B) {
	f := New(logging.NewNopLogger())
	ready := map[string][]*fnv1.Resource{platformRequirement: {platformXR("True", false)}}
	req := tenantRequest(tenantSpec, ready, nil)
	for range 6 {
		rsp, err := f.RunFunction(context.Background(), req)
		if err != nil {
			b.Fatal(err)
		}
		req.Observed.Resources = fntest.Observed(rsp, fntest.All, false)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := f.RunFunction(context.Background(), req); err != nil {
			b.Fatal(err)
		}
	}
}
