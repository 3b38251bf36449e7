package fn

import (
	"strings"

	"github.com/platformcluster/function-platform-cluster/fn/addons"
	"github.com/platformcluster/function-platform-cluster/fn/charts"
	"github.com/platformcluster/function-platform-cluster/fn/dns"
	"github.com/platformcluster/function-platform-cluster/fn/observed"
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

// publication is what publishing the platform under its domain composed:
// the progress of its DNS records and of its certificates (nil when it has
// none), and each published UI's URL and route readiness.
type publication struct {
	dns, certs *progress
	routes     map[string]componentStatus
}

// addPublishing composes the DNS records, certificates and routes that
// publish the platform under its domain.
func addPublishing(a *admitted, st site, set settings.Settings, linodePC string, addresses []string) publication {
	if st.domain == "" {
		return publication{}
	}
	records, dnsProgress := addDNS(a, st, linodePC, addresses)
	gw := publish.Gateway{Name: set.Gateway.Name, Namespace: set.Gateway.Namespace}
	return publication{
		dns:    dnsProgress,
		certs:  addCertificates(a, st, gw, set.Issuer, records),
		routes: addUIRoutes(a, st, gw),
	}
}

// addDNS composes the zone and the records of every host pointing at the
// Gateway's addresses, and returns each host's record keys by slug and the
// records' progress.
func addDNS(a *admitted, st site, linodePC string, addresses []string) (map[string][]string, *progress) {
	if !st.dns.Managed {
		return nil, nil
	}
	z := dns.Zoned{ID: st.dns.ZoneID, ProviderConfig: linodePC, TTLSec: st.dns.TTLSec}
	g := &progress{}
	if z.ID == 0 {
		ready, _ := a.admit(item{Resource: dns.Zone(a.owner, st.domain, st.soaEmail, linodePC)})
		g.add(ready, func() string { return "zone " + st.domain + ": " + a.obs.Message(dns.ZoneKey) })
	}
	current := recordTargets(addresses)
	out := map[string][]string{}
	for _, h := range st.hosts {
		for _, typ := range []string{"A", "AAAA", "CNAME"} {
			key := dns.RecordKey(h.Slug, typ)
			target := current[typ]
			if target == "" && a.obs.Exists(key) {
				// A record composed before whose kind of address the
				// Gateway no longer reports keeps its last target
				// rather than being deleted.
				target = a.obs.String(key, "spec", "forProvider", "target")
			}
			if target == "" {
				continue
			}
			ready, _ := a.admit(item{Resource: dns.Record(a.owner, h.Slug, h.Record, dns.Target{Value: target}, z)})
			g.add(ready, func() string { return h.Name + " " + typ + ": " + a.obs.Message(key) })
			out[h.Slug] = append(out[h.Slug], key)
		}
	}
	if len(out) == 0 && len(st.hosts) > 0 {
		address := need{what: "the default Gateway's address"}
		a.stageWaits("DNS records", address)
		g.add(false, func() string { return "records wait for " + address.what })
	}
	return out, g
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
func addCertificates(a *admitted, st site, gw publish.Gateway, issuerName string, records map[string][]string) *progress {
	if !st.https {
		return nil
	}
	g := &progress{}
	issuer := need{what: "the ClusterIssuer to register its ACME account", met: a.obs.Ready(tls.IssuerKey)}
	// Hosts waiting for the same things are reported together.
	var order []string
	waiting := map[string][]string{}
	for _, h := range st.hosts {
		needs := []need{issuer, a.gatewayProgrammed()}
		if st.dns.Managed {
			needs = append(needs, a.recordsReady(records[h.Slug]))
		}
		key := tls.CertificateKey(h.Slug)
		ready, held := a.admit(item{Resource: tls.Certificate(a.owner, h.Name, h.Slug, gw.Namespace, issuerName), needs: needs})
		switch {
		case held != nil:
			on := join(held)
			if waiting[on] == nil {
				order = append(order, on)
			}
			waiting[on] = append(waiting[on], h.Name)
			g.total++
		default:
			g.add(ready, func() string { return h.Name + ": " + certificateMessage(a.obs, key) })
		}
	}
	for _, on := range order {
		g.pending = append(g.pending, strings.Join(waiting[on], ", ")+" wait for "+on)
	}
	all := need{what: "every certificate to be issued", met: len(g.pending) == 0}
	a.admit(item{Resource: publish.Redirect(a.owner, st.domain, gw), needs: []need{all}})
	return g
}

func certificateMessage(obs observed.State, key string) string {
	if m := obs.RemoteMessage(key, "Ready"); m != "" {
		return m
	}
	return obs.Message(key)
}

// recordsReady is met once a host has records and all of them are Ready.
func (a *admitted) recordsReady(keys []string) need {
	met := len(keys) > 0
	for _, k := range keys {
		met = met && a.obs.Ready(k)
	}
	return need{what: "their DNS records", met: met}
}

// addUIRoutes composes each UI's route, and returns each published UI's
// URL and route readiness.
func addUIRoutes(a *admitted, st site, gw publish.Gateway) map[string]componentStatus {
	out := map[string]componentStatus{}
	for _, ui := range st.uis {
		h, ok := st.ui[ui.Name]
		if !ok {
			continue
		}
		needs := []need{a.resourceReady(addons.ReleaseKey(ui.Name)), a.gatewayProgrammed()}
		route := publish.UIRoute(a.owner, ui, h, gw, st.https)
		ready, held := a.admit(item{Resource: route, needs: needs})
		c := componentStatus{readiness: readiness{ready: true}, url: st.scheme() + h.Name}
		switch {
		case held != nil:
			c.fail(waitsFor(route.Key, held))
		case !ready:
			c.fail(route.Key + ": " + a.obs.Message(route.Key))
		}
		out[ui.Name] = c
		if ui.Name == charts.Harbor {
			a.admit(item{Resource: publish.UnlimitedBody(a.owner, ui), needs: needs})
		}
	}
	return out
}
