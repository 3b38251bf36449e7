package fn

import (
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/platformcluster/function-platform-cluster/fn/addons"
	"github.com/platformcluster/function-platform-cluster/fn/publish"
	"github.com/platformcluster/function-platform-cluster/fn/settings"
	"github.com/platformcluster/function-platform-cluster/fn/spec"
	"github.com/platformcluster/function-platform-cluster/fn/tls"
)

// site is the platform as published under its domain: the hosts it serves
// and whether over HTTPS. It is the one owner of the platform's public
// names, decided once, before the add-ons are selected. The zero site
// publishes nothing.
type site struct {
	domain string
	https  bool
	// workloadDomain is the base domain of workload DNS names (and of
	// Harbor's URL where the platform has no domain of its own).
	workloadDomain string
	// zone is the DNS zone the records go into: the domain, or the
	// Input's existing zone above it.
	zone string
	dns  settings.DNS
	// soaEmail is the contact of a zone the function creates.
	soaEmail string
	// hosts get DNS records; with https, each also gets a listener and a
	// certificate.
	hosts []publish.Host
	uis   []publish.UI
	ui    map[string]publish.Host
	// listeners maps an HTTPS host to its listener, for workload routes.
	listeners map[string]string
	warnings  []string
}

// newSite decides the platform's public hosts: one per UI the spec
// enables, and every workload route host under the domain. Hosts outside
// the domain keep working over plain HTTP, pointed at the Gateway by
// whoever owns their DNS.
func newSite(s *spec.Spec, set settings.Settings, routeHosts []string) site {
	g := s.Components.GatewayFabric
	st := site{domain: g.PublicDomain(), https: g.TLSEnabled(), workloadDomain: workloadDomain(s, set), dns: set.DNS, ui: map[string]publish.Host{}}
	if st.domain == "" {
		return st
	}
	st.zone = st.domain
	if set.DNS.Zone != "" {
		st.zone = set.DNS.Zone
	}
	st.soaEmail = "hostmaster@" + st.domain
	if st.https {
		st.soaEmail = g.TLS.Email
	}
	st.uis = addons.UIs(enabled(s), set.Charts)
	var names []string
	uiHosts := map[string]string{}
	for _, ui := range st.uis {
		names = append(names, ui.Name+"."+st.domain)
		uiHosts[ui.Name+"."+st.domain] = ui.Name
	}
	for _, h := range routeHosts {
		switch {
		case uiHosts[h] != "":
			st.warnings = append(st.warnings, "workload host "+h+" is also where "+uiHosts[h]+" is published: their routes compete for the same paths; choose another host")
		case !publish.Under(h, st.domain):
			st.warnings = append(st.warnings, "workload host "+h+" is not under spec.components.gatewayFabric.domain "+st.domain+
				": it gets no DNS record or certificate and is served over plain HTTP")
		case h[0] == '*':
			st.warnings = append(st.warnings, "workload host "+h+" is a wildcard: it gets no DNS record or certificate (HTTP-01 cannot issue wildcards) and is served over plain HTTP")
		default:
			names = append(names, h)
		}
	}
	hosts, overflow := publish.Hosts(names, st.domain, st.zone)
	if st.https {
		for _, h := range overflow {
			st.warnings = append(st.warnings, "host "+h+" gets no HTTPS listener: a Gateway has at most 64 listeners; it is served over plain HTTP")
		}
	}
	st.hosts = hosts
	st.listeners = map[string]string{}
	for _, h := range hosts {
		if st.https {
			st.listeners[h.Name] = publish.HTTPSListener(h)
		}
		if ui, ok := uiHosts[h.Name]; ok {
			st.ui[ui] = h
		}
	}
	return st
}

// scheme is how the site's hosts are reached.
func (st site) scheme() string {
	if st.https {
		return "https://"
	}
	return "http://"
}

// urls are the UIs' public URLs by add-on.
func (st site) urls() map[string]string {
	out := map[string]string{}
	for name, h := range st.ui {
		out[name] = st.scheme() + h.Name
	}
	return out
}

// httpsHosts are the hosts that get an HTTPS listener and a certificate.
func (st site) httpsHosts() []publish.Host {
	if !st.https {
		return nil
	}
	return st.hosts
}

func (st site) issuer(s *spec.Spec, set settings.Settings) *tls.Issuer {
	if !st.https {
		return nil
	}
	return &tls.Issuer{
		Name: set.Issuer, Server: set.ACMEServer, Email: s.Components.GatewayFabric.TLS.Email,
		Gateway: set.Gateway.Name, GatewayNamespace: set.Gateway.Namespace, HTTPListener: publish.HTTPListener,
	}
}

// checkZone makes a domain outside the Input's DNS zone a spec error: its
// records could not go anywhere.
func checkZone(s *spec.Spec, set settings.Settings) field.ErrorList {
	d := s.Components.GatewayFabric.PublicDomain()
	if d == "" || !set.DNS.Managed || set.DNS.Zone == "" || publish.Under(d, set.DNS.Zone) {
		return nil
	}
	return field.ErrorList{field.Invalid(field.NewPath("spec", "components", "gatewayFabric", "domain"), d,
		"must be "+set.DNS.Zone+" or under it: this platform's DNS records go into that existing zone (function Input dns.zone)")}
}

// workloadDomain is the base domain of workload DNS names: the claim's
// userApps.domain, else the platform's domain, else the Input's
// workloads.domain. userApps.domain wins because it is the more specific
// setting; hosts it gives outside the platform's domain are served over
// plain HTTP (newSite warns).
func workloadDomain(s *spec.Spec, set settings.Settings) string {
	if s.Components.UserApps != nil && s.Components.UserApps.Domain != "" {
		return s.Components.UserApps.Domain
	}
	if d := s.Components.GatewayFabric.PublicDomain(); d != "" {
		return d
	}
	return set.Domain
}

// workloadHTTPS says whether the hosts of dns resources are served over
// HTTPS: the platform issues certificates and they are under its domain.
func workloadHTTPS(s *spec.Spec, set settings.Settings) bool {
	pub, d := s.Components.GatewayFabric.PublicDomain(), workloadDomain(s, set)
	return s.Components.GatewayFabric.TLSEnabled() && publish.Under(d, pub)
}
