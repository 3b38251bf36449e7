package fn

import (
	"context"
	"strings"
	"testing"

	"google.golang.org/protobuf/types/known/structpb"

	"github.com/crossplane/function-sdk-go/logging"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/resource"

	"github.com/platformcluster/function-platform-cluster/fn/dns"
	"github.com/platformcluster/function-platform-cluster/fn/fntest"
	"github.com/platformcluster/function-platform-cluster/fn/tenant"
	"github.com/platformcluster/function-platform-cluster/fn/tls"
)

// A tenant's route hosts are published by its platform as the platform's
// own workloads' are: the tenant's host lock lists them, the platform
// composes a record, a certificate and an HTTPS listener for each, and the
// tenant's route attaches to that listener with an https URL. When the
// tenant goes, so do they.
func TestTenantHostsPublishedByThePlatform(t *testing.T) {
	ready := map[string][]*fnv1.Resource{platformRequirement: {platformXR("True", false)}}
	lock := converge(t, New(logging.NewNopLogger()), tenantRequest(tenantSpec, ready, nil)).GetDesired().GetResources()[tenant.HostKey]
	if lock == nil {
		t.Fatal("the tenant composed no host lock")
	}

	spec := strings.ReplaceAll(published, "p.acme.io", "platform.example.com")
	platformRun := func(last *fnv1.RunFunctionResponse, locks ...*fnv1.Resource) *fnv1.RunFunctionResponse {
		rsp, err := New(logging.NewNopLogger()).RunFunction(context.Background(), &fnv1.RunFunctionRequest{
			Input:             resource.MustStructJSON(fntest.Input),
			Observed:          &fnv1.State{Composite: fntest.XR(spec), Resources: observe(last, "192.0.2.10")},
			RequiredResources: map[string]*fnv1.Resources{tenantHostsRequirement: {Items: locks}},
		})
		if err != nil {
			t.Fatal(err)
		}
		noFatal(t, rsp)
		return rsp
	}
	var last *fnv1.RunFunctionResponse
	for range 12 {
		last = platformRun(last, lock)
	}
	const slug = "web-team-b"
	for _, k := range []string{dns.RecordKey(slug, "A"), tls.CertificateKey(slug)} {
		if _, ok := last.GetDesired().GetResources()[k]; !ok {
			t.Errorf("the platform did not compose %s for the tenant's host", k)
		}
	}
	gw := last.GetDesired().GetResources()["object-gateway"].GetResource().AsMap()
	if name := gw["metadata"].(map[string]any)["name"]; name != tenant.GatewayObjectName("demo-x7k2p") {
		t.Errorf("the platform's Gateway Object is %v; tenants ask for %s", name, tenant.GatewayObjectName("demo-x7k2p"))
	}
	if got := tenant.Listeners(gw)["web.team-b.platform.example.com"]; got != "https-"+slug {
		t.Errorf("listener of the tenant's host: got %q, want https-%s", got, slug)
	}

	// The tenant, told of the listener by the platform's Gateway, attaches
	// its route to it and reports an https URL.
	gwStruct, err := structpb.NewStruct(gw)
	if err != nil {
		t.Fatal(err)
	}
	ready[gatewayRequirement] = []*fnv1.Resource{{Resource: gwStruct}}
	rsp := converge(t, New(logging.NewNopLogger()), tenantRequest(tenantSpec, ready, nil))
	route := manifestOf(t, rsp, "wl-web-httproute-web-route")
	parent := route["spec"].(map[string]any)["parentRefs"].([]any)[0].(map[string]any)
	if parent["sectionName"] != "https-"+slug {
		t.Errorf("the tenant's route parentRef: %v, want sectionName https-%s", parent, slug)
	}
	ws := rsp.GetDesired().GetComposite().GetResource().AsMap()["status"].(map[string]any)["workloads"].([]any)
	if url := ws[0].(map[string]any)["url"].(string); !strings.HasPrefix(url, "https://web.team-b.platform.example.com") {
		t.Errorf("the tenant's workload URL: %s, want https", url)
	}

	// The tenant gone, its host lock goes, and with it what published it.
	gone := platformRun(last)
	for _, k := range []string{dns.RecordKey(slug, "A"), tls.CertificateKey(slug)} {
		if _, ok := gone.GetDesired().GetResources()[k]; ok {
			t.Errorf("%s stayed after the tenant's host lock went", k)
		}
	}
	if _, ok := tenant.Listeners(gone.GetDesired().GetResources()["object-gateway"].GetResource().AsMap())["web.team-b.platform.example.com"]; ok {
		t.Error("the tenant's listener stayed after its host lock went")
	}
}

// A tenant on a platform that serves HTTPS is called again soon while a
// route host has no listener yet, and after the usual minute once it has.
func TestTenantCalledSoonUntilItsHostsArePublished(t *testing.T) {
	pf := platformXR("True", false)
	gf := pf.Resource.Fields["spec"].GetStructValue().Fields["components"].GetStructValue().Fields["gatewayFabric"].GetStructValue()
	gf.Fields["tls"] = structpb.NewStructValue(resource.MustStructJSON(`{"email": "ops@example.com"}`))
	required := map[string][]*fnv1.Resource{platformRequirement: {pf}}
	rsp := converge(t, New(logging.NewNopLogger()), tenantRequest(tenantSpec, required, nil))
	if got := rsp.GetMeta().GetTtl().AsDuration(); got != settlingTTL {
		t.Errorf("TTL while web.team-b.platform.example.com has no listener: %s, want %s", got, settlingTTL)
	}
	required[gatewayRequirement] = []*fnv1.Resource{{Resource: resource.MustStructJSON(`{"spec": {"forProvider": {"manifest": {"spec": {"listeners": [
		{"name": "https-web-team-b", "hostname": "web.team-b.platform.example.com", "protocol": "HTTPS"}]}}}}}`)}}
	rsp = converge(t, New(logging.NewNopLogger()), tenantRequest(tenantSpec, required, nil))
	if got := rsp.GetMeta().GetTtl().AsDuration(); got == settlingTTL {
		t.Errorf("TTL once every host has its listener: %s, want the default", got)
	}
}
