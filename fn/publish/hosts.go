// Package publish decides the platform's public host names under its
// domain and builds what serves them from the default Gateway: one HTTPS
// listener per host, the HTTP-to-HTTPS redirect, and the UIs' HTTPRoutes.
package publish

import (
	"strings"

	"github.com/platformcluster/function-platform-cluster/fn/compose"
	"github.com/platformcluster/function-platform-cluster/fn/sorted"
)

// MaxHTTPSHosts is how many hosts get an HTTPS listener: a Gateway has at
// most 64 listeners (Gateway API's MaxItems) and one is plain HTTP.
const MaxHTTPSHosts = 63

// maxSlug keeps listener ("https-" + slug) and Secret names short.
const maxSlug = 40

// Host is one public host name.
type Host struct {
	// Name is the fully qualified host name.
	Name string
	// Slug is unique among the platform's hosts and names its listener,
	// certificate Secret and composed resources.
	Slug string
	// Record is Name relative to the DNS zone, "" for the zone's apex.
	Record string
}

// Under reports whether host is domain or a name below it.
func Under(host, domain string) bool {
	return host == domain || strings.HasSuffix(host, "."+domain)
}

// Hosts turns host names, all under domain, into Hosts sorted by name, with
// record names relative to zone (which is domain or one of its parents).
// Names past MaxHTTPSHosts are returned apart: they cannot get a listener.
func Hosts(names []string, domain, zone string) (hosts []Host, overflow []string) {
	uniq := map[string]bool{}
	for _, n := range names {
		uniq[n] = true
	}
	names = sorted.Keys(uniq)
	if len(names) > MaxHTTPSHosts {
		names, overflow = names[:MaxHTTPSHosts], names[MaxHTTPSHosts:]
	}
	used := map[string]bool{}
	for _, n := range names {
		s := slug(n, domain)
		if used[s] {
			s = compose.Hashed(s, "-", n)
		}
		used[s] = true
		hosts = append(hosts, Host{Name: n, Slug: s, Record: relative(n, zone)})
	}
	return hosts, overflow
}

// slug is the host's name below the domain with dots as dashes, or "apex"
// for the domain itself, shortened with a hash when long.
func slug(host, domain string) string {
	s := strings.ReplaceAll(strings.TrimSuffix(strings.TrimSuffix(host, domain), "."), ".", "-")
	if s == "" {
		s = "apex"
	}
	if len(s) > maxSlug {
		s = compose.Hashed(s[:maxSlug-9], "-", host)
	}
	return s
}

func relative(host, zone string) string {
	if host == zone {
		return ""
	}
	return strings.TrimSuffix(host, "."+zone)
}
