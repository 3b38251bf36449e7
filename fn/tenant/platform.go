// Package tenant builds what a PlatformTenant composes on the cluster of
// the PlatformCluster it lives on: its Namespaces, quota, default limits,
// NetworkPolicies and RoleBindings, each a provider-kubernetes Object
// through that platform's ProviderConfig, and the ClusterUsages that keep
// the platform until the tenant is gone.
package tenant

import (
	"fmt"
	"net/url"
)

// Platform is what a tenant learns of the PlatformCluster it lives on, from
// the platform's XR as Crossplane fetched it.
type Platform struct {
	// XR names the XPlatformCluster; Claim is "<namespace>/<name>".
	XR, Claim string
	// ProviderConfig is the platform's provider-kubernetes ProviderConfig,
	// from the XR's resource references: "" until it is composed.
	ProviderConfig string
	// Domain is the platform's public domain, "" when it has none.
	Domain         string
	GatewayEnabled bool
	// HTTPS says whether the platform serves its domain's hosts, and so
	// its tenants', over HTTPS.
	HTTPS bool
	Ready bool
	// NotReady says why the platform is not Ready.
	NotReady string
	Deleting bool
	// Workloads maps the platform's own workload namespaces to whose they
	// are.
	Workloads map[string]string
	// Hosts maps the hosts the platform publishes (its UIs', its
	// workloads') to whose they are, from the URLs in its status.
	Hosts map[string]string
}

// kubernetesPC is the provider-kubernetes ProviderConfig's kind.
const kubernetesPC = "kubernetes.crossplane.io/v1alpha1"

// Read reads a platform's XR.
func Read(xr map[string]any) Platform {
	md := mapAt(xr, "metadata")
	labels := mapAt(md, "labels")
	p := Platform{Workloads: map[string]string{}, Hosts: map[string]string{}}
	p.XR, _ = md["name"].(string)
	ns, _ := labels["crossplane.io/claim-namespace"].(string)
	name, _ := labels["crossplane.io/claim-name"].(string)
	p.Claim = ns + "/" + name
	_, p.Deleting = md["deletionTimestamp"].(string)
	sp := mapAt(xr, "spec")
	refs, _ := sp["resourceRefs"].([]any)
	if cp, ok := mapAt(sp, "crossplane")["resourceRefs"].([]any); ok {
		refs = append(refs, cp...)
	}
	for _, r := range refs {
		ref, _ := r.(map[string]any)
		if ref["apiVersion"] == kubernetesPC && ref["kind"] == "ProviderConfig" {
			p.ProviderConfig, _ = ref["name"].(string)
		}
	}
	gw := mapAt(mapAt(sp, "components"), "gatewayFabric")
	p.GatewayEnabled, _ = gw["enabled"].(bool)
	p.Domain, _ = gw["domain"].(string)
	_, tls := gw["tls"].(map[string]any)
	p.HTTPS = p.GatewayEnabled && p.Domain != "" && tls
	p.readWorkloads(sp)
	p.readReady(mapAt(xr, "status"))
	p.readHosts(mapAt(xr, "status"))
	return p
}

// readHosts notes the hosts of the URLs the platform publishes.
func (p *Platform) readHosts(status map[string]any) {
	comps := mapAt(status, "components")
	for name, c := range comps {
		if h := hostOf(mapOf(c)["url"]); h != "" {
			p.Hosts[h] = fmt.Sprintf("%s of PlatformCluster %s", name, p.Claim)
		}
	}
	ws, _ := status["workloads"].([]any)
	for _, w := range ws {
		m := mapOf(w)
		if h := hostOf(m["url"]); h != "" {
			p.Hosts[h] = fmt.Sprintf("workload %v of PlatformCluster %s", m["name"], p.Claim)
		}
	}
}

// hostOf is the host of an http(s) URL, "" for anything else.
func hostOf(v any) string {
	s, _ := v.(string)
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return ""
	}
	return u.Hostname()
}

// readWorkloads notes the platform's own workloads: each has a namespace
// of its name on the cluster.
func (p *Platform) readWorkloads(sp map[string]any) {
	ws, _ := sp["workloads"].([]any)
	for _, w := range ws {
		if n, ok := mapOf(w)["name"].(string); ok {
			p.Workloads[n] = fmt.Sprintf("workload %s of PlatformCluster %s", n, p.Claim)
		}
	}
	enabled, _ := mapAt(mapAt(sp, "components"), "userApps")["enabled"].([]any)
	for _, w := range enabled {
		if n, ok := w.(string); ok {
			p.Workloads[n] = fmt.Sprintf("workload %s of PlatformCluster %s", n, p.Claim)
		}
	}
}

func (p *Platform) readReady(status map[string]any) {
	p.NotReady = "it has not reported Ready yet"
	cs, _ := status["conditions"].([]any)
	for _, c := range cs {
		m := mapOf(c)
		if m["type"] != "Ready" {
			continue
		}
		p.Ready = m["status"] == "True"
		reason, _ := m["reason"].(string)
		msg, _ := m["message"].(string)
		p.NotReady = "it is not Ready (" + reason + ")"
		if msg != "" {
			p.NotReady = "it is not Ready (" + reason + ": " + msg + ")"
		}
	}
}

func mapOf(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func mapAt(m map[string]any, key string) map[string]any { return mapOf(m[key]) }
