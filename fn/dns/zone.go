// Package dns builds the provider-linode Domain (DNS zone) and Records that
// point the platform's hosts at its Gateway. They are managed resources on
// the control plane, so the Linode token never reaches the new cluster.
package dns

import (
	"github.com/platformcluster/function-platform-cluster/fn/compose"
)

// APIVersion of provider-linode's DNS managed resources.
const APIVersion = "domain.linode.upbound.io/v1alpha1"

// Component is the status and label component of DNS resources.
const Component = "dns"

// ZoneKey is the composition resource name of the Domain.
const ZoneKey = "dns-zone"

// ZoneName is the Domain's name, which Records refer to.
func ZoneName(o compose.Owner) string { return o.Name("dns-zone") }

// Zone builds the Linode Domain that holds the platform's records. A Linode
// domain is unique across all of Linode, so a domain someone else already
// added fails here with the provider's message; the Input's dns.zone then
// names an existing zone instead.
func Zone(o compose.Owner, domain, soaEmail, providerConfig string) compose.Resource {
	obj := compose.Object(APIVersion, "Domain", ZoneName(o))
	obj["spec"] = map[string]any{
		"forProvider": map[string]any{
			"domain":   domain,
			"type":     "master",
			"soaEmail": soaEmail,
			"tags":     []any{"platformcluster:" + o.Cluster},
		},
		"providerConfigRef": map[string]any{"name": providerConfig},
	}
	o.Label(obj, Component)
	return compose.Resource{Key: ZoneKey, Object: obj}
}
