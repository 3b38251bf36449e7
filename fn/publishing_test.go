package fn

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/crossplane/function-sdk-go/logging"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/resource"

	"github.com/platformcluster/function-platform-cluster/fn/fntest"
)

// published is a claim published with HTTPS under p.acme.io, with a
// workload whose route host is under it.
const published = `{
	"clusterSpec": {"clusterName": "demo", "labels": {"team": "platform"}},
	"components": {
		"gatewayFabric": {"enabled": true, "domain": "p.acme.io", "tls": {"email": "ops@acme.io"}},
		"o11yStack": {"enabled": true, "loki": false, "tempo": false, "alloy": false},
		"headlamp": {"enabled": true},
		"harbor": {"enabled": true}
	},
	"workloads": [{"name": "web", "score": {
		"apiVersion": "score.dev/v1b1", "metadata": {"name": "web"},
		"containers": {"main": {"image": "nginx:1.29"}},
		"service": {"ports": {"http": {"port": 80}}},
		"resources": {"dns": {"type": "dns"}, "route": {"type": "route", "params": {"host": "${resources.dns.host}", "port": "http"}}}
	}}]
}`

// run reconciles once with the given Input against obs.
func run(t *testing.T, input, spec string, obs map[string]*fnv1.Resource) *fnv1.RunFunctionResponse {
	t.Helper()
	rsp, err := New(logging.NewNopLogger()).RunFunction(context.Background(), &fnv1.RunFunctionRequest{
		Input:    resource.MustStructJSON(input),
		Observed: &fnv1.State{Composite: fntest.XR(spec), Resources: obs},
	})
	if err != nil {
		t.Fatal(err)
	}
	return rsp
}

// observe is what the control plane reports once last is applied and every
// resource is Ready; the Gateway, once composed, has exactly the addresses.
func observe(last *fnv1.RunFunctionResponse, addresses ...string) map[string]*fnv1.Resource {
	obs := fntest.Observed(last, fntest.All, true)
	if gw, ok := obs["object-gateway"]; ok {
		as := make([]any, 0, len(addresses))
		for _, a := range addresses {
			as = append(as, map[string]any{"type": "IPAddress", "value": a})
		}
		st := gw.Resource.Fields["status"].GetStructValue().AsMap()
		st["atProvider"] = map[string]any{"manifest": map[string]any{"status": map[string]any{"addresses": as}}}
		v, _ := structpb.NewStruct(st)
		gw.Resource.Fields["status"] = structpb.NewStructValue(v)
	}
	return obs
}

func noFatal(t *testing.T, rsp *fnv1.RunFunctionResponse) {
	t.Helper()
	for _, r := range rsp.GetResults() {
		if r.GetSeverity() == fnv1.Severity_SEVERITY_FATAL {
			t.Fatalf("unexpected fatal result: %s", r.GetMessage())
		}
	}
}

func condition(rsp *fnv1.RunFunctionResponse, typ string) *fnv1.Condition {
	for _, c := range rsp.GetConditions() {
		if c.GetType() == typ {
			return c
		}
	}
	return nil
}

func manifestOf(t *testing.T, rsp *fnv1.RunFunctionResponse, key string) map[string]any {
	t.Helper()
	r, ok := rsp.GetDesired().GetResources()[key]
	if !ok {
		t.Fatalf("%s not composed", key)
	}
	sp := r.GetResource().AsMap()["spec"].(map[string]any)
	if m, ok := sp["forProvider"].(map[string]any)["manifest"].(map[string]any); ok {
		return m
	}
	return sp["forProvider"].(map[string]any)
}

// Publishing adds to the stages of TestStagesUntilReady: the zone at once,
// cert-manager after the Gateway API CRDs, the issuer after cert-manager,
// records once the Gateway has an address, certificates once their records
// and the issuer are Ready, the redirect once every certificate is.
func TestPublishedStagesUntilReady(t *testing.T) {
	publishing := func(k string) bool {
		return strings.HasPrefix(k, "dns-") || strings.HasPrefix(k, "object-cert") || strings.HasPrefix(k, "object-route-") ||
			k == "release-cert-manager" || k == "object-cluster-issuer" || k == "object-https-redirect" || strings.HasPrefix(k, "object-client-settings")
	}
	steps := []struct {
		name      string
		wantAdded []string
	}{
		{"ZoneAtOnce", []string{"dns-zone"}},
		{"ProviderConfigs", nil},
		{"CRDsFirst", nil},
		{"CertManagerAfterTheCRDs", []string{"release-cert-manager"}},
		{"IssuerAfterCertManager", []string{"object-cluster-issuer"}},
		{"RecordsAndRoutesOnceTheGatewayIsUp", []string{
			"dns-grafana-a", "dns-harbor-a", "dns-headlamp-a", "dns-web-dns-a",
			"object-route-grafana", "object-route-harbor", "object-route-headlamp", "object-client-settings-harbor",
		}},
		{"CertificatesOnceTheirRecordsAreReady", []string{"object-cert-grafana", "object-cert-harbor", "object-cert-headlamp", "object-cert-web-dns"}},
		{"RedirectOnceEveryCertificateIsIssued", []string{"object-https-redirect"}},
		{"Stable", nil},
	}
	var last *fnv1.RunFunctionResponse
	var before []string
	for _, s := range steps {
		rsp := run(t, fntest.Input, published, observe(last, "192.0.2.10"))
		noFatal(t, rsp)
		now := slices.DeleteFunc(keys(rsp), func(k string) bool { return !publishing(k) })
		checkStep(t, s.name, before, now, s.wantAdded)
		before, last = now, rsp
	}
	for _, typ := range []string{ConditionDNSReady, ConditionCertificatesReady} {
		if c := condition(last, typ); c.GetStatus() != fnv1.Status_STATUS_CONDITION_TRUE {
			t.Errorf("%s: want True, got %v", typ, c)
		}
	}
	st := last.GetDesired().GetComposite().GetResource().AsMap()["status"].(map[string]any)
	comps := st["components"].(map[string]any)
	for _, ui := range []string{"grafana", "harbor", "headlamp"} {
		if got := comps[ui].(map[string]any)["url"]; got != "https://"+ui+".p.acme.io" {
			t.Errorf("status.components.%s.url = %v", ui, got)
		}
	}
	if got := st["workloads"].([]any)[0].(map[string]any)["url"]; got != "https://web-dns.p.acme.io/" {
		t.Errorf("status.workloads[web].url = %v, want https", got)
	}

	// The workload's route attaches to its host's HTTPS listener only.
	route := manifestOf(t, last, "wl-web-httproute-web-route")
	parent := route["spec"].(map[string]any)["parentRefs"].([]any)[0].(map[string]any)
	if parent["sectionName"] != "https-web-dns" {
		t.Errorf("workload route parentRef = %v, want sectionName https-web-dns", parent)
	}
	// The Gateway has one HTTPS listener per host, whose Secret the host's
	// Certificate writes.
	var listeners []string
	for _, l := range manifestOf(t, last, "object-gateway")["spec"].(map[string]any)["listeners"].([]any) {
		listeners = append(listeners, l.(map[string]any)["name"].(string))
	}
	if diff := cmp.Diff([]string{"http", "https-grafana", "https-harbor", "https-headlamp", "https-web-dns"}, listeners); diff != "" {
		t.Errorf("Gateway listeners: -want, +got:\n%s", diff)
	}
	cert := manifestOf(t, last, "object-cert-web-dns")["spec"].(map[string]any)
	if cert["secretName"] != "tls-web-dns" || cert["dnsNames"].([]any)[0] != "web-dns.p.acme.io" {
		t.Errorf("Certificate spec = %v", cert)
	}
}

// reachReady reconciles the published claim until nothing new is composed.
func reachReady(t *testing.T, input, spec string, addresses ...string) *fnv1.RunFunctionResponse {
	t.Helper()
	var last *fnv1.RunFunctionResponse
	for range 10 {
		last = run(t, input, spec, observe(last, addresses...))
		noFatal(t, last)
	}
	return last
}

func target(t *testing.T, rsp *fnv1.RunFunctionResponse, key string) string {
	t.Helper()
	return manifestOf(t, rsp, key)["target"].(string)
}

func TestRecordsFollowTheGatewayAddress(t *testing.T) {
	last := reachReady(t, fntest.Input, published, "192.0.2.10")

	moved := run(t, fntest.Input, published, observe(last, "192.0.2.20", "2001:db8::20"))
	if got := target(t, moved, "dns-grafana-a"); got != "192.0.2.20" {
		t.Errorf("A record after the address moved: %s", got)
	}
	if got := target(t, moved, "dns-grafana-aaaa"); got != "2001:db8::20" {
		t.Errorf("AAAA record for a new IPv6 address: %s", got)
	}

	// The Gateway reports no address for a while (its Service is being
	// replaced): every record stays, pointing where it last did.
	gone := run(t, fntest.Input, published, observe(moved))
	for key, want := range map[string]string{"dns-grafana-a": "192.0.2.20", "dns-grafana-aaaa": "2001:db8::20"} {
		if got := target(t, gone, key); got != want {
			t.Errorf("%s without an address: target %s, want %s", key, got, want)
		}
	}
}

func TestExistingZone(t *testing.T) {
	input := `{"apiVersion":"platformcluster.fn.crossplane.io/v1beta1","kind":"Input","dns":{"zone":{"id":4242,"domain":"acme.io"}}}`
	last := reachReady(t, input, published, "192.0.2.10")
	if _, ok := last.GetDesired().GetResources()["dns-zone"]; ok {
		t.Error("a zone was composed although the Input names an existing one")
	}
	fp := manifestOf(t, last, "dns-grafana-a")
	if fp["domainId"] != float64(4242) || fp["name"] != "grafana.p" || fp["domainIdRef"] != nil {
		t.Errorf("record in an existing zone: %v", fp)
	}

	outside := strings.Replace(published, "p.acme.io", "p.other.io", 1)
	rsp := run(t, input, outside, nil)
	if len(rsp.GetResults()) == 0 || rsp.GetResults()[0].GetSeverity() != fnv1.Severity_SEVERITY_FATAL ||
		!strings.Contains(rsp.GetResults()[0].GetMessage(), `spec.components.gatewayFabric.domain: Invalid value: "p.other.io": must be acme.io or under it`) {
		t.Errorf("a domain outside the Input's zone: want a Fatal naming the field, got %v", rsp.GetResults())
	}
}

func TestDNSLeftToThePlatformTeam(t *testing.T) {
	input := `{"apiVersion":"platformcluster.fn.crossplane.io/v1beta1","kind":"Input","dns":{"provider":"none"}}`
	last := reachReady(t, input, published, "192.0.2.10")
	for _, k := range keys(last) {
		if strings.HasPrefix(k, "dns-") {
			t.Errorf("%s composed although DNS is not managed", k)
		}
	}
	if _, ok := last.GetDesired().GetResources()["object-cert-grafana"]; !ok {
		t.Error("certificates must not wait for records nobody composes")
	}
	if c := condition(last, ConditionDNSReady); c != nil {
		t.Errorf("DNSReady set although DNS is not managed: %v", c)
	}
}

func TestDomainWithoutTLSServesPlainHTTP(t *testing.T) {
	spec := strings.Replace(published, `, "tls": {"email": "ops@acme.io"}`, "", 1)
	last := reachReady(t, fntest.Input, spec, "192.0.2.10")
	for _, k := range keys(last) {
		if strings.HasPrefix(k, "object-cert") || k == "release-cert-manager" || k == "object-cluster-issuer" || k == "object-https-redirect" {
			t.Errorf("%s composed without TLS", k)
		}
	}
	parent := manifestOf(t, last, "object-route-grafana")["spec"].(map[string]any)["parentRefs"].([]any)[0].(map[string]any)
	if parent["sectionName"] != "http" {
		t.Errorf("UI route without TLS attaches to %v, want http", parent["sectionName"])
	}
	if got := len(manifestOf(t, last, "object-gateway")["spec"].(map[string]any)["listeners"].([]any)); got != 1 {
		t.Errorf("Gateway without TLS has %d listeners, want http only", got)
	}
	comps := last.GetDesired().GetComposite().GetResource().AsMap()["status"].(map[string]any)["components"].(map[string]any)
	if got := comps["grafana"].(map[string]any)["url"]; got != "http://grafana.p.acme.io" {
		t.Errorf("grafana url without TLS = %v", got)
	}
	if c := condition(last, ConditionCertificatesReady); c != nil {
		t.Errorf("CertificatesReady set without TLS: %v", c)
	}
}

func TestWorkloadHostTakenByAUI(t *testing.T) {
	spec := strings.Replace(published, `"host": "${resources.dns.host}"`, `"host": "grafana.p.acme.io"`, 1)
	rsp := run(t, fntest.Input, spec, nil)
	for _, r := range rsp.GetResults() {
		if strings.Contains(r.GetMessage(), "workload host grafana.p.acme.io is also where grafana is published") {
			return
		}
	}
	t.Errorf("want a warning about the workload host Grafana is published at, got %v", rsp.GetResults())
}

func TestWorkloadHostOutsideTheDomain(t *testing.T) {
	spec := strings.Replace(published, `"harbor": {"enabled": true}`, `"harbor": {"enabled": true}, "userApps": {"domain": "apps.elsewhere.io"}`, 1)
	last := reachReady(t, fntest.Input, spec, "192.0.2.10")
	if _, ok := last.GetDesired().GetResources()["object-cert-web-dns-apps"]; ok {
		t.Error("a host outside the domain got a certificate")
	}
	warned := false
	for _, r := range last.GetResults() {
		warned = warned || (r.GetSeverity() == fnv1.Severity_SEVERITY_WARNING &&
			strings.Contains(r.GetMessage(), "workload host web-dns.apps.elsewhere.io is not under spec.components.gatewayFabric.domain p.acme.io"))
	}
	if !warned {
		t.Errorf("want a warning about the host outside the domain, got %v", last.GetResults())
	}
	parent := manifestOf(t, last, "wl-web-httproute-web-route")["spec"].(map[string]any)["parentRefs"].([]any)[0].(map[string]any)
	if _, ok := parent["sectionName"]; ok {
		t.Errorf("a route outside the domain must attach to the Gateway as before, got %v", parent)
	}
}

// A certificate that cannot be issued says why, from cert-manager's own
// condition as provider-kubernetes observed it.
func TestCertificatesReadyCarriesCertManagersMessage(t *testing.T) {
	last := reachReady(t, fntest.Input, published, "192.0.2.10")
	obs := observe(last, "192.0.2.10")
	cert := obs["object-cert-grafana"]
	cert.Resource.Fields["status"] = structpb.NewStructValue(resource.MustStructJSON(`{
		"conditions": [{"type": "Ready", "status": "False", "reason": "Unavailable"}],
		"atProvider": {"manifest": {"status": {"conditions": [{"type": "Ready", "status": "False", "reason": "DoesNotExist", "message": "Issuing certificate as Secret does not exist"}]}}}}`))
	rsp := run(t, fntest.Input, published, obs)
	c := condition(rsp, ConditionCertificatesReady)
	if c.GetStatus() != fnv1.Status_STATUS_CONDITION_FALSE || c.GetMessage() != "grafana.p.acme.io: DoesNotExist: Issuing certificate as Secret does not exist" {
		t.Errorf("CertificatesReady = %v", c)
	}
	if _, ok := rsp.GetDesired().GetResources()["object-https-redirect"]; !ok {
		t.Error("the redirect, once composed, must stay while a certificate is renewed")
	}
}

// A workload whose Score turns bad keeps its last delivered route, and so
// must keep what serves the route's host: its record, certificate and
// listener. (Found by the live suite: they were deleted.)
func TestBrokenWorkloadKeepsItsHost(t *testing.T) {
	last := reachReady(t, fntest.Input, published, "192.0.2.10")
	broken := strings.Replace(published, `"apiVersion": "score.dev/v1b1"`, `"apiVersion": "score.dev/v9"`, 1)
	rsp := run(t, fntest.Input, broken, observe(last, "192.0.2.10"))
	noFatal(t, rsp)
	for _, k := range []string{"dns-web-dns-a", "object-cert-web-dns", "wl-web-httproute-web-route"} {
		if _, ok := rsp.GetDesired().GetResources()[k]; !ok {
			t.Errorf("%s dropped while the workload's Score is broken", k)
		}
	}
	found := false
	for _, l := range manifestOf(t, rsp, "object-gateway")["spec"].(map[string]any)["listeners"].([]any) {
		found = found || l.(map[string]any)["name"] == "https-web-dns"
	}
	if !found {
		t.Error("the kept route's listener https-web-dns was dropped")
	}
}
