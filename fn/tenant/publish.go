package tenant

import (
	"slices"
	"strings"

	"github.com/platformcluster/function-platform-cluster/fn/compose"
	"github.com/platformcluster/function-platform-cluster/fn/publish"
)

// A tenant's hosts are published by its platform, as the platform's own
// workloads' are: the platform's XR owns the DNS zone, the ACME issuer and
// the Gateway's listeners, so it composes the records, certificates and
// HTTPS listeners. The tenant tells it which hosts through its host lock
// (Host), which carries the route hosts of its workloads and a label the
// platform asks Crossplane for; the tenant learns which listener serves a
// host from the platform's Gateway (Listeners).

// HostsLabel marks a tenant's host lock Object with the platform it asks to
// publish its hosts: HostsOf that platform's XR.
const HostsLabel = "platform.fpc.dev/tenant-hosts"

// HostsOf is the value of HostsLabel for a platform's XR (a label value,
// so shortened as composed names are).
func HostsOf(platformXR string) string { return compose.Name(platformXR, "tenant-hosts") }

// routesKey is the host lock's data key that lists the tenant's route
// hosts, one per line.
const routesKey = "routes"

// Published reads, from the host lock Objects of a platform's tenants, the
// route hosts to publish: each under its tenant's host, of locks not being
// deleted. A lock is written by the function alone (its manifest is the
// Object's spec on the control plane), but its hosts are checked again so
// that no tenant can publish a host outside its own.
func Published(locks []map[string]any) []string {
	var out []string
	for _, l := range locks {
		if _, deleting := mapAt(l, "metadata")["deletionTimestamp"]; deleting {
			continue
		}
		data := mapAt(mapAt(mapAt(mapAt(l, "spec"), "forProvider"), "manifest"), "data")
		host, _ := data["host"].(string)
		routes, _ := data[routesKey].(string)
		for _, h := range strings.Fields(routes) {
			if host != "" && publish.Under(h, host) {
				out = append(out, h)
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// GatewayObjectName is the name of the Object that holds a platform's
// default Gateway (addons composes it as "gateway").
func GatewayObjectName(platformXR string) string { return compose.Name(platformXR, "gateway") }

// Listeners maps each host with an HTTPS listener on the platform's Gateway
// to the listener's name, from the Gateway's Object as last applied: a
// tenant's route attaches to its host's listener once the platform has
// published the host.
func Listeners(gateway map[string]any) map[string]string {
	out := map[string]string{}
	ls, _ := mapAt(mapAt(mapAt(mapAt(gateway, "spec"), "forProvider"), "manifest"), "spec")["listeners"].([]any)
	for _, l := range ls {
		m := mapOf(l)
		host, _ := m["hostname"].(string)
		name, _ := m["name"].(string)
		if m["protocol"] == "HTTPS" && host != "" && name != "" {
			out[host] = name
		}
	}
	return out
}
