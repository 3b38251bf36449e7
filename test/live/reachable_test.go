package live

import (
	"context"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/platformcluster/function-platform-cluster/test/live/plane"
	"github.com/platformcluster/function-platform-cluster/test/live/standin"
)

// platformDomain is the example claim's spec.components.gatewayFabric.domain.
const platformDomain = "platform.example.com"

// The default Gateway on the workload cluster, which terminates TLS with
// the certificates' Secrets in its own namespace.
const gatewayNS, gatewayName = "nginx-gateway", "platform-gateway"

var (
	certificateKind   = gvk("cert-manager.io", "v1", "Certificate")
	clusterIssuerKind = gvk("cert-manager.io", "v1", "ClusterIssuer")
)

// uiRoutes are the UIs of the example claim that get a public host, by the
// namespace their HTTPRoute is in.
var uiRoutes = []struct{ component, namespace string }{{"grafana", "observability"}, {"headlamp", "headlamp"}}

func uiHost(component string) string { return component + "." + platformDomain }

// assertReachable checks, once the claim is Ready, that every public host
// of the platform has an A record at the Gateway's address, a certificate
// issued into a Secret, an HTTPS listener terminating TLS with it and a
// route, and that the claim lists https URLs.
func assertReachable(t *testing.T, xr string) {
	t.Helper()
	ctx := ctxFor(t)
	waitConditions(t, 3*time.Minute, "claim DNSReady and CertificatesReady", func() (*unstructured.Unstructured, error) { return claim(ctx) }, "DNSReady", "CertificatesReady")
	c, err := claim(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got, err := composed(ctx, xr)
	if err != nil {
		t.Fatal(err)
	}
	if d, _, _ := unstructured.NestedString(c.Object, "spec", "components", "gatewayFabric", "domain"); d != platformDomain {
		t.Fatalf("the example claim publishes under %q; this test expects %q", d, platformDomain)
	}
	hosts := publicHosts(t, c)
	assertRecords(t, got, hosts)
	email, _, _ := unstructured.NestedString(c.Object, "spec", "components", "gatewayFabric", "tls", "email")
	secrets := assertCertificates(t, ctx, got, hosts, email)
	listeners := assertHTTPSListeners(t, ctx, secrets)
	assertUIRoutes(t, ctx, listeners)
	wls, _ := workloadHosts(c)
	assertWorkloadRoutes(t, ctx, wls, listeners)
	assertRedirect(t, ctx)

	for _, ui := range uiRoutes {
		url, _, _ := unstructured.NestedString(c.Object, "status", "components", ui.component, "url")
		if want := "https://" + uiHost(ui.component); url != want {
			t.Errorf("claim status.components.%s.url = %q, want %q", ui.component, url, want)
		}
	}
}

// publicHosts are the UI hosts and the hosts of the workloads' https URLs
// that are under the platform's domain, sorted. Every workload URL must be
// https.
func publicHosts(t *testing.T, c *unstructured.Unstructured) []string {
	t.Helper()
	hosts := []string{}
	for _, ui := range uiRoutes {
		hosts = append(hosts, uiHost(ui.component))
	}
	wls, bad := workloadHosts(c)
	for _, url := range bad {
		t.Errorf("claim status.workloads[] url %q, want https://", url)
	}
	hosts = append(hosts, wls...)
	sort.Strings(hosts)
	return hosts
}

// workloadHosts are the hosts under the platform's domain of the claim's
// workload URLs, and the URLs that are not https.
func workloadHosts(c *unstructured.Unstructured) (hosts, notHTTPS []string) {
	wls, _, _ := unstructured.NestedSlice(c.Object, "status", "workloads")
	for _, w := range wls {
		url, _ := w.(map[string]any)["url"].(string)
		host, ok := strings.CutPrefix(url, "https://")
		if !ok {
			notHTTPS = append(notHTTPS, url)
			continue
		}
		host, _, _ = strings.Cut(host, "/")
		if strings.HasSuffix(host, "."+platformDomain) {
			hosts = append(hosts, host)
		}
	}
	return hosts, notHTTPS
}

// assertRecords: one Domain for the platform's domain, and exactly one A
// record at the Gateway's address per public host, each in that Domain.
func assertRecords(t *testing.T, got map[string]*unstructured.Unstructured, hosts []string) {
	t.Helper()
	domains := ofKind(got, "Domain")
	if len(domains) != 1 {
		t.Errorf("composed %d Domains, want 1 (composed: %v)", len(domains), names(got))
		return
	}
	d := domains[0]
	fp, _, _ := unstructured.NestedMap(d.Object, "spec", "forProvider")
	if fp["domain"] != platformDomain || fp["type"] != "master" || fp["soaEmail"] == nil {
		t.Errorf("Domain %s spec.forProvider = %v, want domain %s, type master and a soaEmail", d.GetName(), fp, platformDomain)
	}
	if plane.ConditionStatus(d, "Ready") != "True" {
		t.Errorf("Domain not ready: %s", plane.Describe(d))
	}
	domainID, _, _ := unstructured.NestedString(d.Object, "status", "atProvider", "id")

	records := map[string]int{}
	for _, r := range ofKind(got, "Record") {
		fp, _, _ := unstructured.NestedMap(r.Object, "spec", "forProvider")
		ref, _, _ := unstructured.NestedString(fp, "domainIdRef", "name")
		if ref != d.GetName() || fp["recordType"] != "A" || fp["target"] != standin.GatewayAddress {
			t.Errorf("Record %s spec.forProvider = %v, want an A record at %s in Domain %s", r.GetName(), fp, standin.GatewayAddress, d.GetName())
		}
		// The stand-in resolves domainIdRef as provider-linode does.
		if fmt.Sprint(fp["domainId"]) != domainID {
			t.Errorf("Record %s domainId %v, want the Domain's ID %s", r.GetName(), fp["domainId"], domainID)
		}
		if plane.ConditionStatus(r, "Ready") != "True" {
			t.Errorf("Record not ready: %s", plane.Describe(r))
		}
		name, _ := fp["name"].(string)
		records[name]++
	}
	want := map[string]int{}
	for _, h := range hosts {
		want[strings.TrimSuffix(h, "."+platformDomain)] = 1
	}
	if fmt.Sprint(records) != fmt.Sprint(want) {
		t.Errorf("A records by name %v, want one for each public host %v", records, want)
	}
}

// assertCertificates: one ACME ClusterIssuer and one Certificate per
// public host, composed with readiness from their Ready condition; on the
// workload cluster the issuer is Ready and each Certificate's Secret holds
// a certificate valid for its host. It returns each host's Secret.
func assertCertificates(t *testing.T, ctx context.Context, got map[string]*unstructured.Unstructured, hosts []string, email string) map[string]string {
	t.Helper()
	issuers := composedManifests(got, "ClusterIssuer")
	if len(issuers) != 1 {
		t.Errorf("composed %d ClusterIssuers, want 1 (composed: %v)", len(issuers), names(got))
		return nil
	}
	var issuer string
	for o, m := range issuers {
		issuer = m.GetName()
		assertCELReadiness(t, got[o])
		acme, _, _ := unstructured.NestedMap(m.Object, "spec", "acme")
		account, _, _ := unstructured.NestedString(acme, "email")
		solvers, _, _ := unstructured.NestedSlice(acme, "solvers")
		if account != email || len(solvers) == 0 || !strings.Contains(fmt.Sprint(solvers), "gatewayHTTPRoute") {
			t.Errorf("ClusterIssuer %s spec.acme = %v, want the claim's email %s and an HTTP-01 gatewayHTTPRoute solver", issuer, acme, email)
		}
	}
	if i, err := cp.Workload.Get(ctx, clusterIssuerKind, "", issuer); err != nil || plane.ConditionStatus(i, "Ready") != "True" {
		t.Errorf("on the workload cluster: ClusterIssuer %s not Ready (%v)", issuer, err)
	}

	secrets := map[string]string{}
	for o, m := range composedManifests(got, "Certificate") {
		assertCELReadiness(t, got[o])
		names, _, _ := unstructured.NestedStringSlice(m.Object, "spec", "dnsNames")
		kind, _, _ := unstructured.NestedString(m.Object, "spec", "issuerRef", "kind")
		ref, _, _ := unstructured.NestedString(m.Object, "spec", "issuerRef", "name")
		secret, _, _ := unstructured.NestedString(m.Object, "spec", "secretName")
		if len(names) != 1 || m.GetNamespace() != gatewayNS || kind != "ClusterIssuer" || ref != issuer || secret == "" {
			t.Errorf("Certificate %s/%s spec %v, want one dnsName, in %s, from ClusterIssuer %s, with a secretName", m.GetNamespace(), m.GetName(), m.Object["spec"], gatewayNS, issuer)
			continue
		}
		if _, dup := secrets[names[0]]; dup {
			t.Errorf("two Certificates for %s", names[0])
		}
		secrets[names[0]] = secret
	}
	for _, h := range hosts {
		if secrets[h] == "" {
			t.Errorf("no Certificate for %s (certificates: %v)", h, secrets)
			continue
		}
		if err := servesCertificateFor(ctx, secrets[h], h); err != nil {
			t.Errorf("on the workload cluster: %v", err)
		}
	}
	if len(secrets) != len(hosts) {
		t.Errorf("Certificates for %v, want exactly %v", secrets, hosts)
	}
	return secrets
}

// servesCertificateFor checks that a TLS Secret in the Gateway's namespace
// holds a key pair whose certificate is valid for host.
func servesCertificateFor(ctx context.Context, secret, host string) error {
	s, err := cp.Workload.Get(ctx, secretKind, gatewayNS, secret)
	if err != nil {
		return err
	}
	if typ, _, _ := unstructured.NestedString(s.Object, "type"); typ != "kubernetes.io/tls" {
		return fmt.Errorf("secret %s is of type %q, want kubernetes.io/tls", secret, typ)
	}
	enc, _, _ := unstructured.NestedString(s.Object, "data", "tls.crt")
	raw, _ := base64.StdEncoding.DecodeString(enc)
	b, _ := pem.Decode(raw)
	if b == nil {
		return fmt.Errorf("secret %s: tls.crt holds no certificate", secret)
	}
	crt, err := x509.ParseCertificate(b.Bytes)
	if err != nil {
		return fmt.Errorf("secret %s: %w", secret, err)
	}
	if err := crt.VerifyHostname(host); err != nil {
		return fmt.Errorf("secret %s: %w", secret, err)
	}
	return nil
}

// assertHTTPSListeners: the Gateway on the workload cluster keeps its http
// listener and has, per public host, an https listener on 443 terminating
// TLS with that host's certificate. It returns each host's listener.
func assertHTTPSListeners(t *testing.T, ctx context.Context, secrets map[string]string) map[string]string {
	t.Helper()
	gw, err := cp.Workload.Get(ctx, gatewayKind, gatewayNS, gatewayName)
	if err != nil {
		t.Errorf("on the workload cluster: %v", err)
		return nil
	}
	ls, _, _ := unstructured.NestedSlice(gw.Object, "spec", "listeners")
	byHost := map[string]string{}
	var http bool
	for _, l := range ls {
		l := l.(map[string]any)
		name, _ := l["name"].(string)
		if name == "http" {
			http = true
			continue
		}
		host, _ := l["hostname"].(string)
		mode, _, _ := unstructured.NestedString(l, "tls", "mode")
		refs, _, _ := unstructured.NestedSlice(l, "tls", "certificateRefs")
		if !strings.HasPrefix(name, "https-") || l["protocol"] != "HTTPS" || fmt.Sprint(l["port"]) != "443" || mode != "Terminate" || len(refs) != 1 {
			t.Errorf("Gateway listener %v, want https-<slug> on 443, HTTPS, tls Terminate with one certificateRef", l)
			continue
		}
		if ref, _ := refs[0].(map[string]any)["name"].(string); ref != secrets[host] {
			t.Errorf("Gateway listener %s terminates %s with Secret %q, want the Certificate's %q", name, host, ref, secrets[host])
		}
		byHost[host] = name
	}
	if !http {
		t.Errorf("Gateway lost its http listener: %v", ls)
	}
	for h := range secrets {
		if byHost[h] == "" {
			t.Errorf("Gateway has no https listener for %s (listeners: %v)", h, byHost)
		}
	}
	return byHost
}

// assertUIRoutes: each UI's HTTPRoute, in the UI's namespace, serves its
// host on its https listener.
func assertUIRoutes(t *testing.T, ctx context.Context, listeners map[string]string) {
	t.Helper()
	for _, ui := range uiRoutes {
		host := uiHost(ui.component)
		routes, err := cp.Workload.List(ctx, routeKind, ui.namespace, "")
		if err != nil {
			t.Errorf("on the workload cluster: HTTPRoutes in %s: %v", ui.namespace, err)
			continue
		}
		var found bool
		for i := range routes {
			hostnames, _, _ := unstructured.NestedStringSlice(routes[i].Object, "spec", "hostnames")
			if len(hostnames) == 1 && hostnames[0] == host && attachedTo(&routes[i], listeners[host]) {
				found = true
			}
		}
		if !found {
			t.Errorf("on the workload cluster: no HTTPRoute in %s for %s on Gateway listener %q", ui.namespace, host, listeners[host])
		}
	}
}

// assertWorkloadRoutes: each workload host is served by an HTTPRoute on
// the workload cluster that names its https listener, not just the Gateway
// (a route on the wrong listener, or on none, attaches to every listener
// whose hostname matches, and then to plain http).
func assertWorkloadRoutes(t *testing.T, ctx context.Context, hosts []string, listeners map[string]string) {
	t.Helper()
	if len(hosts) == 0 {
		t.Errorf("no workload host under %s to check routes for", platformDomain)
	}
	routes, err := cp.Workload.List(ctx, routeKind, "", "")
	if err != nil {
		t.Errorf("on the workload cluster: HTTPRoutes: %v", err)
		return
	}
	for _, host := range hosts {
		var found bool
		var others []string
		for i := range routes {
			hostnames, _, _ := unstructured.NestedStringSlice(routes[i].Object, "spec", "hostnames")
			if len(hostnames) != 1 || hostnames[0] != host {
				continue
			}
			if attachedTo(&routes[i], listeners[host]) {
				found = true
				break
			}
			refs, _, _ := unstructured.NestedSlice(routes[i].Object, "spec", "parentRefs")
			others = append(others, fmt.Sprintf("%s/%s %v", routes[i].GetNamespace(), routes[i].GetName(), refs))
		}
		if !found {
			t.Errorf("on the workload cluster: no HTTPRoute for %s on Gateway listener %q (routes for it: %v)", host, listeners[host], others)
		}
	}
}

// assertRedirect: a route on the http listener redirects to https.
func assertRedirect(t *testing.T, ctx context.Context) {
	t.Helper()
	routes, err := cp.Workload.List(ctx, routeKind, gatewayNS, "")
	if err != nil {
		t.Errorf("on the workload cluster: HTTPRoutes in %s: %v", gatewayNS, err)
		return
	}
	for i := range routes {
		if !attachedTo(&routes[i], "http") {
			continue
		}
		rules, _, _ := unstructured.NestedSlice(routes[i].Object, "spec", "rules")
		for _, r := range rules {
			fs, _, _ := unstructured.NestedSlice(r.(map[string]any), "filters")
			for _, f := range fs {
				if scheme, _, _ := unstructured.NestedString(f.(map[string]any), "requestRedirect", "scheme"); scheme == "https" {
					return
				}
			}
		}
	}
	t.Errorf("on the workload cluster: no HTTPRoute in %s on the http listener redirects to https", gatewayNS)
}

// attachedTo reports whether a route names the default Gateway's listener
// as a parent.
func attachedTo(route *unstructured.Unstructured, listener string) bool {
	refs, _, _ := unstructured.NestedSlice(route.Object, "spec", "parentRefs")
	for _, r := range refs {
		r := r.(map[string]any)
		if r["name"] == gatewayName && r["sectionName"] == listener && listener != "" {
			return true
		}
	}
	return false
}

// assertCELReadiness: an Object is Ready only when what it wraps says so.
func assertCELReadiness(t *testing.T, o *unstructured.Unstructured) {
	t.Helper()
	policy, _, _ := unstructured.NestedString(o.Object, "spec", "readiness", "policy")
	query, _, _ := unstructured.NestedString(o.Object, "spec", "readiness", "celQuery")
	if policy != "DeriveFromCelQuery" || !strings.Contains(query, "Ready") {
		t.Errorf("Object %s readiness %s %q, want DeriveFromCelQuery on the Ready condition", o.GetName(), policy, query)
	}
	if plane.ConditionStatus(o, "Ready") != "True" {
		t.Errorf("Object not ready: %s", plane.Describe(o))
	}
}

// assertHostGone: nothing composed or on the workload cluster serves host
// any more: no A record, Certificate, route or Gateway listener.
func assertHostGone(ctx context.Context, xr, host string) error {
	got, err := composed(ctx, xr)
	if err != nil {
		return err
	}
	rel := strings.TrimSuffix(host, "."+platformDomain)
	for _, r := range ofKind(got, "Record") {
		if n, _, _ := unstructured.NestedString(r.Object, "spec", "forProvider", "name"); n == rel {
			return fmt.Errorf("Record %s for %s still composed", r.GetName(), host)
		}
	}
	for o, m := range composedManifests(got, "") {
		if m.GetKind() != "Certificate" && m.GetKind() != "HTTPRoute" {
			continue
		}
		if strings.Contains(fmt.Sprint(m.Object["spec"]), host) {
			return fmt.Errorf("Object %s (%s %s/%s) still names %s", o, m.GetKind(), m.GetNamespace(), m.GetName(), host)
		}
	}
	for _, k := range []struct {
		kind schema.GroupVersionKind
		ns   string
	}{{certificateKind, gatewayNS}, {routeKind, ""}} {
		items, err := cp.Workload.List(ctx, k.kind, k.ns, "")
		if err != nil {
			return err
		}
		for i := range items {
			if strings.Contains(fmt.Sprint(items[i].Object["spec"]), host) {
				return fmt.Errorf("on the workload cluster: %s %s/%s still names %s", k.kind.Kind, items[i].GetNamespace(), items[i].GetName(), host)
			}
		}
	}
	gw, err := cp.Workload.Get(ctx, gatewayKind, gatewayNS, gatewayName)
	if err != nil {
		return err
	}
	if ls, _, _ := unstructured.NestedSlice(gw.Object, "spec", "listeners"); strings.Contains(fmt.Sprint(ls), host) {
		return fmt.Errorf("on the workload cluster: the Gateway still listens for %s", host)
	}
	return nil
}

// recordsPointAt checks that the composed A records all point at address,
// and so does the claim's status.gateway.
func recordsPointAt(ctx context.Context, xr, address string) error {
	got, err := composed(ctx, xr)
	if err != nil {
		return err
	}
	records := ofKind(got, "Record")
	if len(records) == 0 {
		return fmt.Errorf("no Records composed")
	}
	for _, r := range records {
		if target, _, _ := unstructured.NestedString(r.Object, "spec", "forProvider", "target"); target != address {
			return fmt.Errorf("Record %s points at %s", r.GetName(), target)
		}
		if target, _, _ := unstructured.NestedString(r.Object, "status", "atProvider", "target"); target != address {
			return fmt.Errorf("Record %s is at %s at Linode", r.GetName(), target)
		}
	}
	c, err := claim(ctx)
	if err != nil {
		return err
	}
	if a, _, _ := unstructured.NestedString(c.Object, "status", "gateway", "address"); a != address {
		return fmt.Errorf("claim status.gateway.address %s", a)
	}
	return nil
}
