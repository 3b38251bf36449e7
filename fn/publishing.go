package fn

import (
	"strings"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/response"

	"github.com/platformcluster/function-platform-cluster/fn/addons"
	"github.com/platformcluster/function-platform-cluster/fn/charts"
	"github.com/platformcluster/function-platform-cluster/fn/dns"
	"github.com/platformcluster/function-platform-cluster/fn/publish"
	"github.com/platformcluster/function-platform-cluster/fn/settings"
	"github.com/platformcluster/function-platform-cluster/fn/tls"
)

// The platform's domain is published in three steps on top of the stages in
// stages.go:
//
//  1. the DNS zone needs nothing; each host's records need the default
//     Gateway's address, and follow it on every reconcile;
//  2. each host's Certificate needs the ClusterIssuer Ready, the Gateway
//     programmed (it answers the HTTP-01 challenge) and, when the function
//     manages DNS, the host's records Ready: Let's Encrypt would otherwise
//     look the host up before it exists and remember that it does not;
//  3. the redirect to HTTPS needs every certificate Ready, so plain HTTP is
//     not sent to HTTPS before HTTPS works. Each UI's route needs its
//     release Ready (which creates its namespace and Service) and the
//     Gateway programmed.
//
// The Gateway's HTTPS listeners need nothing: they are composed with the
// Gateway, and one whose certificate is missing is merely not valid yet.

// progress is the readiness of a group of resources, for a condition.
type progress struct {
	// total counts the group's resources, composed or held back; pending
	// says what of it is not ready, in order.
	total   int
	pending []string
}

// add counts one resource and, only when it is not ready, asks why.
func (g *progress) add(ready bool, why func() string) {
	g.total++
	if !ready {
		g.pending = append(g.pending, why())
	}
}

// condition sets the condition typ from the group's progress: True with
// done when nothing is pending, else False with reason and what is.
func (g *progress) condition(rsp *fnv1.RunFunctionResponse, typ, reason, done string) {
	if len(g.pending) == 0 {
		response.ConditionTrue(rsp, typ, "Available").WithMessage(done).TargetCompositeAndClaim()
		return
	}
	response.ConditionFalse(rsp, typ, reason).WithMessage(join(g.pending)).TargetCompositeAndClaim()
}

// addPublishing composes the DNS records, certificates and routes that
// publish the platform under its domain.
func (p *platform) addPublishing(st site, set settings.Settings, linodePC string) {
	if st.domain == "" {
		return
	}
	records := p.addDNS(st, linodePC)
	gw := publish.Gateway{Name: set.Gateway.Name, Namespace: set.Gateway.Namespace}
	p.addCertificates(st, gw, set.Issuer, records)
	p.addUIRoutes(st, gw)
}

// addDNS composes the zone and the records of every host, and returns each
// host's record keys by slug.
func (p *platform) addDNS(st site, linodePC string) map[string][]string {
	if !st.dns.Managed {
		return nil
	}
	z := dns.Zoned{ID: st.dns.ZoneID, ProviderConfig: linodePC, TTLSec: st.dns.TTLSec}
	p.dns = &progress{}
	if z.ID == 0 {
		ready, _ := p.admit(item{Resource: dns.Zone(p.owner, st.domain, st.soaEmail, linodePC)})
		p.dns.add(ready, func() string { return "zone " + st.domain + ": " + p.obs.Message(dns.ZoneKey) })
	}
	current := recordTargets(p.addresses)
	out := map[string][]string{}
	for _, h := range st.hosts {
		for _, typ := range []string{"A", "AAAA", "CNAME"} {
			key := dns.RecordKey(h.Slug, typ)
			target := current[typ]
			if target == "" && p.obs.Exists(key) {
				// A record composed before whose kind of address the
				// Gateway no longer reports keeps its last target
				// rather than being deleted.
				target = p.obs.String(key, "spec", "forProvider", "target")
			}
			if target == "" {
				continue
			}
			ready, _ := p.admit(item{Resource: dns.Record(p.owner, h.Slug, h.Record, dns.Target{Value: target}, z)})
			p.dns.add(ready, func() string { return h.Name + " " + typ + ": " + p.obs.Message(key) })
			out[h.Slug] = append(out[h.Slug], key)
		}
	}
	if len(out) == 0 && len(st.hosts) > 0 {
		address := need{what: "the default Gateway's address"}
		p.stageWaits("DNS records", address)
		p.dns.add(false, func() string { return "records wait for " + address.what })
	}
	return out
}

// recordTargets picks, from the Gateway's addresses, the first of each
// record type. A host name is used only when there is no IP address, as a
// CNAME cannot stand beside other records.
func recordTargets(addresses []string) map[string]string {
	out := map[string]string{}
	for _, a := range addresses {
		t := dns.Target{Value: a}
		if _, ok := out[t.Type()]; !ok {
			out[t.Type()] = a
		}
	}
	if _, ip4 := out["A"]; ip4 {
		delete(out, "CNAME")
	} else if _, ip6 := out["AAAA"]; ip6 {
		delete(out, "CNAME")
	}
	return out
}

// addCertificates composes one Certificate per HTTPS host, then the
// redirect once all are issued.
func (p *platform) addCertificates(st site, gw publish.Gateway, issuerName string, records map[string][]string) {
	if !st.https {
		return
	}
	p.certs = &progress{}
	issuer := need{what: "the ClusterIssuer to register its ACME account", met: p.obs.Ready(tls.IssuerKey)}
	// Hosts waiting for the same things are reported together.
	var order []string
	waiting := map[string][]string{}
	for _, h := range st.hosts {
		needs := []need{issuer, p.gatewayProgrammed()}
		if st.dns.Managed {
			needs = append(needs, p.recordsReady(records[h.Slug]))
		}
		key := tls.CertificateKey(h.Slug)
		ready, held := p.admit(item{Resource: tls.Certificate(p.owner, h.Name, h.Slug, gw.Namespace, issuerName), needs: needs})
		switch {
		case held != nil:
			on := join(held)
			if waiting[on] == nil {
				order = append(order, on)
			}
			waiting[on] = append(waiting[on], h.Name)
			p.certs.total++
		default:
			p.certs.add(ready, func() string { return h.Name + ": " + certificateMessage(p, key) })
		}
	}
	for _, on := range order {
		p.certs.pending = append(p.certs.pending, strings.Join(waiting[on], ", ")+" wait for "+on)
	}
	all := need{what: "every certificate to be issued", met: len(p.certs.pending) == 0}
	p.admit(item{Resource: publish.Redirect(p.owner, st.domain, gw), needs: []need{all}})
}

func certificateMessage(p *platform, key string) string {
	if m := p.obs.RemoteMessage(key, "Ready"); m != "" {
		return m
	}
	return p.obs.Message(key)
}

// recordsReady is met once a host has records and all of them are Ready.
func (p *platform) recordsReady(keys []string) need {
	met := len(keys) > 0
	for _, k := range keys {
		met = met && p.obs.Ready(k)
	}
	return need{what: "their DNS records", met: met}
}

// addUIRoutes composes each UI's route and folds its readiness into the
// UI's component status.
func (p *platform) addUIRoutes(st site, gw publish.Gateway) {
	for _, ui := range st.uis {
		h, ok := st.ui[ui.Name]
		if !ok {
			continue
		}
		needs := []need{p.resourceReady(addons.ReleaseKey(ui.Name)), p.gatewayProgrammed()}
		route := publish.UIRoute(p.owner, ui, h, gw, st.https)
		ready, held := p.admit(item{Resource: route, needs: needs})
		c := p.components[ui.Name]
		c.url = st.scheme() + h.Name
		switch {
		case held != nil:
			c = worse(c, waitsFor(route.Key, held))
		case !ready:
			c = worse(c, route.Key+": "+p.obs.Message(route.Key))
		}
		p.components[ui.Name] = c
		if ui.Name == charts.Harbor {
			p.admit(item{Resource: publish.UnlimitedBody(p.owner, ui), needs: needs})
		}
	}
}
