package fn

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/testing/protocmp"

	"github.com/crossplane/function-sdk-go/logging"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/resource"

	"github.com/platformcluster/function-platform-cluster/fn/fntest"
)

var update = flag.Bool("update", false, "rewrite fn/testdata/tenant")

const tenantInput = `{"apiVersion": "platformcluster.fn.crossplane.io/v1beta1", "kind": "Input",
	"tenancy": {"egress": [{"cidr": "0.0.0.0/0", "except": ["169.254.169.254/32"], "ports": [{"port": 443}]},
		{"namespace": "observability", "ports": [{"port": 4317}, {"port": 4318}]}]}}`

// tenantXR is the XPlatformTenant of claim team-b/team-b with spec.
func tenantXR(spec string) *fnv1.Resource {
	return &fnv1.Resource{Resource: resource.MustStructJSON(`{
		"apiVersion": "platform.fpc.dev/v1alpha1", "kind": "XPlatformTenant",
		"metadata": {"name": "team-b-4xk2p", "labels": {"crossplane.io/claim-name": "team-b", "crossplane.io/claim-namespace": "team-b"}},
		"spec": ` + spec + `}`)}
}

const tenantSpec = `{"clusterRef": {"name": "demo", "namespace": "team-a"},
	"access": [{"kind": "Group", "name": "team-b-developers", "role": "edit"}],
	"workloads": [{"name": "web", "score": {"apiVersion": "score.dev/v1b1", "metadata": {"name": "web"},
		"containers": {"main": {"image": "nginxinc/nginx-unprivileged:1.27"}},
		"service": {"ports": {"http": {"port": 80, "targetPort": 8080}}},
		"resources": {"route": {"type": "route", "params": {"host": "web.team-b.platform.example.com", "path": "/", "port": 80}}}}}]}`

// platformXR is the XPlatformCluster of claim team-a/demo: ready, or with
// the given Ready condition status and a deletion timestamp.
func platformXR(ready string, deleting bool) *fnv1.Resource {
	md := `"name": "demo-x7k2p", "labels": {"crossplane.io/claim-name": "demo", "crossplane.io/claim-namespace": "team-a"}`
	if deleting {
		md += `, "deletionTimestamp": "2024-01-01T00:00:00Z"`
	}
	return &fnv1.Resource{Resource: resource.MustStructJSON(`{
		"apiVersion": "platform.fpc.dev/v1alpha1", "kind": "XPlatformCluster", "metadata": {` + md + `},
		"spec": {"components": {"gatewayFabric": {"enabled": true, "domain": "platform.example.com"}, "userApps": {"enabled": ["demo-app"]}},
			"resourceRefs": [{"apiVersion": "kubernetes.crossplane.io/v1alpha1", "kind": "ProviderConfig", "name": "demo-x7k2p"}]},
		"status": {"conditions": [{"type": "Ready", "status": "` + ready + `", "reason": "Creating"}],
			"components": {"grafana": {"ready": true, "url": "https://grafana.platform.example.com"}},
			"workloads": [{"name": "demo-app", "ready": true, "url": "https://demo-app.apps.platform.example.com/"}]}}`)}
}

// lockHeldBy is the Object of namespace team-b on demo-x7k2p, controlled
// by the XR named xr.
func lockHeldBy(xr string) *fnv1.Resource {
	return &fnv1.Resource{Resource: resource.MustStructJSON(`{
		"apiVersion": "kubernetes.crossplane.io/v1alpha2", "kind": "Object",
		"metadata": {"name": "demo-x7k2p-tenant-ns-team-b", "labels": {"crossplane.io/composite": "` + xr + `",
			"crossplane.io/claim-name": "rival", "crossplane.io/claim-namespace": "team-c"}}}`)}
}

func tenantRequest(spec string, required map[string][]*fnv1.Resource, observed map[string]*fnv1.Resource) *fnv1.RunFunctionRequest {
	req := &fnv1.RunFunctionRequest{
		Input:             resource.MustStructJSON(tenantInput),
		Observed:          &fnv1.State{Composite: tenantXR(spec), Resources: observed},
		RequiredResources: map[string]*fnv1.Resources{},
	}
	for k, items := range required {
		req.RequiredResources[k] = &fnv1.Resources{Items: items}
	}
	return req
}

// converge runs the tenant until nothing new is composed, reporting every
// composed resource ready, and returns the last response.
func converge(t *testing.T, f *Function, req *fnv1.RunFunctionRequest) *fnv1.RunFunctionResponse {
	t.Helper()
	var rsp *fnv1.RunFunctionResponse
	for range 6 {
		var err error
		if rsp, err = f.RunFunction(context.Background(), req); err != nil {
			t.Fatal(err)
		}
		req.Observed.Resources = fntest.Observed(rsp, fntest.All, false)
	}
	return rsp
}

// TestTenant compares whole responses, at each stage of a tenant's life
// and for each way its platform can be unfit, with fn/testdata/tenant
// (go test ./fn -run TestTenant -update rewrites them; read the diff).
func TestTenant(t *testing.T) {
	ready := map[string][]*fnv1.Resource{platformRequirement: {platformXR("True", false)}}
	cases := map[string]func(f *Function) *fnv1.RunFunctionResponse{
		// Without its platform the tenant keeps what it composed before.
		"platform-missing": func(f *Function) *fnv1.RunFunctionResponse {
			req := tenantRequest(tenantSpec, nil, map[string]*fnv1.Resource{"ns-team-b": lockHeldBy("team-b-4xk2p")})
			rsp, _ := f.RunFunction(context.Background(), req)
			return rsp
		},
		"platform-not-ready": func(f *Function) *fnv1.RunFunctionResponse {
			rsp, _ := f.RunFunction(context.Background(), tenantRequest(tenantSpec, map[string][]*fnv1.Resource{platformRequirement: {platformXR("False", false)}}, nil))
			return rsp
		},
		"platform-deleting": func(f *Function) *fnv1.RunFunctionResponse {
			req := tenantRequest(tenantSpec, map[string][]*fnv1.Resource{platformRequirement: {platformXR("True", true)}}, nil)
			rsp, _ := f.RunFunction(context.Background(), req)
			return rsp
		},
		"1-namespaces": func(f *Function) *fnv1.RunFunctionResponse {
			rsp, _ := f.RunFunction(context.Background(), tenantRequest(tenantSpec, ready, nil))
			return rsp
		},
		"2-everything-ready": func(f *Function) *fnv1.RunFunctionResponse {
			return converge(t, f, tenantRequest(tenantSpec, ready, nil))
		},
		// Two claims named team-b in different namespaces default to one
		// host; the second is told to choose another.
		"host-taken": func(f *Function) *fnv1.RunFunctionResponse {
			req := tenantRequest(tenantSpec, map[string][]*fnv1.Resource{
				platformRequirement: {platformXR("True", false)}, hostRequirement: {lockHeldBy("team-b-other")},
			}, nil)
			rsp, _ := f.RunFunction(context.Background(), req)
			return rsp
		},
		"namespace-taken": func(f *Function) *fnv1.RunFunctionResponse {
			req := tenantRequest(tenantSpec, map[string][]*fnv1.Resource{
				platformRequirement: {platformXR("True", false)}, namespaceRequirement("team-b"): {lockHeldBy("team-c-9zz1q")},
			}, nil)
			rsp, _ := f.RunFunction(context.Background(), req)
			return rsp
		},
	}
	for name, run := range cases {
		t.Run(name, func(t *testing.T) {
			got := run(New(logging.NewNopLogger()))
			compareResponse(t, filepath.Join("testdata", "tenant", name+".json"), got)
		})
	}
}

func compareResponse(t *testing.T, path string, got *fnv1.RunFunctionResponse) {
	t.Helper()
	if *update {
		b, err := protojson.Marshal(got)
		if err != nil {
			t.Fatal(err)
		}
		// protojson varies its whitespace on purpose; fix it so that
		// regenerated files differ only where the response does.
		var compact, indented bytes.Buffer
		if err := json.Compact(&compact, b); err != nil {
			t.Fatal(err)
		}
		if err := json.Indent(&indented, compact.Bytes(), "", "  "); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, append(indented.Bytes(), '\n'), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := &fnv1.RunFunctionResponse{}
	if err := protojson.Unmarshal(b, want); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got, protocmp.Transform()); diff != "" {
		t.Errorf("RunFunction(...): -want (%s), +got:\n%s", path, diff)
	}
}

// Each bad input row is Fatal, names the field, and composes nothing (a
// Fatal result makes Crossplane change nothing, so nothing delivered goes).
func TestTenantBadInput(t *testing.T) {
	cases := map[string]struct{ spec, want string }{
		"MissingClusterRef":    {`{"clusterRef": {"name": ""}}`, `spec.clusterRef.name: Required value`},
		"UnknownField":         {`{"clusterRef": {"name": "demo"}, "quotas": {}}`, `spec.quotas: Invalid value: "quotas": unknown field; expected one of: access, clusterRef, host, limits, namespaces, quota, workloads`},
		"NamespaceNotALabel":   {`{"clusterRef": {"name": "demo"}, "namespaces": ["Team_B"]}`, `spec.namespaces[0]: Invalid value: "Team_B": a lowercase RFC 1123 label`},
		"PlatformNamespace":    {`{"clusterRef": {"name": "demo"}, "namespaces": ["ok", "observability"]}`, `spec.namespaces[1]: Forbidden: namespace observability belongs to the platform`},
		"GatewayNamespace":     {`{"clusterRef": {"name": "demo"}, "namespaces": ["nginx-gateway"]}`, `spec.namespaces[0]: Forbidden: namespace nginx-gateway belongs to the platform`},
		"DuplicateNamespace":   {`{"clusterRef": {"name": "demo"}, "namespaces": ["a", "a"]}`, `spec.namespaces[1]: Duplicate value: "a"`},
		"QuotaDoesNotParse":    {`{"clusterRef": {"name": "demo"}, "quota": {"memory": "8 gigs"}}`, `spec.quota.memory: Invalid value: "8 gigs": must be a Kubernetes quantity`},
		"QuotaWrongType":       {`{"clusterRef": {"name": "demo"}, "quota": {"pods": "many"}}`, `spec.quota.pods: Invalid value: "many": must be an integer, not a string`},
		"RequestOverLimit":     {`{"clusterRef": {"name": "demo"}, "limits": {"cpu": "100m", "requestCpu": "1"}}`, `spec.limits.requestCpu: Invalid value: "1": must not exceed limits.cpu (100m)`},
		"UnknownRole":          {`{"clusterRef": {"name": "demo"}, "access": [{"kind": "Group", "name": "g", "role": "cluster-admin"}]}`, `spec.access[0].role: Unsupported value: "cluster-admin": supported values: "admin", "edit", "view"`},
		"SubjectWithoutName":   {`{"clusterRef": {"name": "demo"}, "access": [{"kind": "User", "role": "view"}]}`, `spec.access[0].name: Required value`},
		"UnknownSubjectKind":   {`{"clusterRef": {"name": "demo"}, "access": [{"kind": "ServiceAccount", "name": "x", "role": "view"}]}`, `spec.access[0].kind: Unsupported value: "ServiceAccount"`},
		"WorkloadElsewhere":    {`{"clusterRef": {"name": "demo"}, "workloads": [{"name": "w", "namespace": "other", "score": {}}]}`, `spec.workloads[0].namespace: Unsupported value: "other": supported values: "team-b"`},
		"HostOutsideTheDomain": {`{"clusterRef": {"name": "demo", "namespace": "team-a"}, "host": "team-b.example.org"}`, `spec.host: Invalid value: "team-b.example.org": must be under the platform's domain platform.example.com, not the domain itself`},
		"HostIsTheDomain":      {`{"clusterRef": {"name": "demo", "namespace": "team-a"}, "host": "platform.example.com"}`, `spec.host: Invalid value: "platform.example.com": must be under the platform's domain`},
		"HostOverAPlatformUI":  {`{"clusterRef": {"name": "demo", "namespace": "team-a"}, "host": "grafana.platform.example.com"}`, `spec.host: Forbidden: host grafana.platform.example.com overlaps grafana.platform.example.com, where the platform publishes grafana of PlatformCluster team-a/demo`},
		"HostOverPlatformApps": {`{"clusterRef": {"name": "demo", "namespace": "team-a"}, "host": "apps.platform.example.com"}`, `spec.host: Forbidden: host apps.platform.example.com overlaps demo-app.apps.platform.example.com, where the platform publishes workload demo-app of PlatformCluster team-a/demo`},
		"PlatformWorkloadsNS":  {`{"clusterRef": {"name": "demo", "namespace": "team-a"}, "namespaces": ["demo-app"]}`, `spec.namespaces[0]: Forbidden: namespace demo-app belongs to workload demo-app of PlatformCluster team-a/demo`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			req := tenantRequest(tc.spec, map[string][]*fnv1.Resource{platformRequirement: {platformXR("True", false)}}, nil)
			rsp, err := New(logging.NewNopLogger()).RunFunction(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			var fatal string
			for _, r := range rsp.GetResults() {
				if r.GetSeverity() == fnv1.Severity_SEVERITY_FATAL {
					fatal = r.GetMessage()
				}
			}
			if !strings.Contains(fatal, tc.want) {
				t.Errorf("Fatal result: want it to contain %q, got %q", tc.want, fatal)
			}
			if n := len(rsp.GetDesired().GetResources()); n > 0 {
				t.Errorf("want nothing composed, got %d resources", n)
			}
		})
	}
}

// A route outside the tenant's host is refused: the workload is left out
// with a Warning, and the tenant's other objects compose.
func TestTenantRouteOutsideItsHost(t *testing.T) {
	spec := strings.Replace(tenantSpec, "web.team-b.platform.example.com", "grafana.platform.example.com", 1)
	rsp := converge(t, New(logging.NewNopLogger()), tenantRequest(spec, map[string][]*fnv1.Resource{platformRequirement: {platformXR("True", false)}}, nil))
	var warned bool
	for _, r := range rsp.GetResults() {
		warned = warned || strings.Contains(r.GetMessage(), `route hosts [grafana.platform.example.com] are not under the tenant's host "team-b.platform.example.com"`)
	}
	if !warned {
		t.Errorf("want a Warning naming the host, got %v", rsp.GetResults())
	}
	for key := range rsp.GetDesired().GetResources() {
		if strings.HasPrefix(key, "wl-web-") {
			t.Errorf("want workload web left out, got %s", key)
		}
	}
	if _, ok := rsp.GetDesired().GetResources()["quota-team-b"]; !ok {
		t.Error("want the tenant's quota composed")
	}
}

// Every Object a tenant composes goes through its platform's ProviderConfig.
func TestTenantObjectsUseThePlatformsProviderConfig(t *testing.T) {
	rsp := converge(t, New(logging.NewNopLogger()), tenantRequest(tenantSpec, map[string][]*fnv1.Resource{platformRequirement: {platformXR("True", false)}}, nil))
	n := 0
	for key, r := range rsp.GetDesired().GetResources() {
		f := r.GetResource().GetFields()
		if f["kind"].GetStringValue() != "Object" {
			continue
		}
		n++
		pc := f["spec"].GetStructValue().GetFields()["providerConfigRef"].GetStructValue().GetFields()["name"]
		if pc.GetStringValue() != "demo-x7k2p" {
			t.Errorf("%s: providerConfigRef.name want demo-x7k2p, got %v", key, pc)
		}
	}
	if n < 10 {
		t.Errorf("want the tenant's Objects, got %d", n)
	}
}
