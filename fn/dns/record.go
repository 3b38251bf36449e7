package dns

import (
	"net/netip"
	"strings"

	"github.com/platformcluster/function-platform-cluster/fn/compose"
)

// Target is what a host's records point at: the Gateway's address.
type Target struct {
	// Value is an IPv4 or IPv6 address, or a host name.
	Value string
}

// Type is the record type for the target: A, AAAA or, for a load balancer
// that publishes a host name, CNAME.
func (t Target) Type() string {
	a, err := netip.ParseAddr(t.Value)
	switch {
	case err != nil:
		return "CNAME"
	case a.Is4():
		return "A"
	default:
		return "AAAA"
	}
}

// RecordKey is the composition resource name of a host's record of a type.
func RecordKey(slug, recordType string) string {
	return "dns-" + slug + "-" + strings.ToLower(recordType)
}

// Zoned says which zone a record goes into: the composed Domain (ID 0) or
// an existing Linode domain by its ID.
type Zoned struct {
	ID             int64
	ProviderConfig string
	TTLSec         int64
}

// Record builds the record of name (relative to the zone, "" for its apex)
// pointing at t.
func Record(o compose.Owner, slug, name string, t Target, z Zoned) compose.Resource {
	typ := t.Type()
	fp := map[string]any{
		"name":       name,
		"recordType": typ,
		"target":     t.Value,
		"ttlSec":     z.TTLSec,
	}
	if z.ID != 0 {
		fp["domainId"] = z.ID
	} else {
		fp["domainIdRef"] = map[string]any{"name": ZoneName(o)}
	}
	key := RecordKey(slug, typ)
	obj := compose.Object(APIVersion, "Record", o.Name(key))
	obj["spec"] = map[string]any{
		"forProvider":       fp,
		"providerConfigRef": map[string]any{"name": z.ProviderConfig},
	}
	o.Label(obj, Component)
	return compose.Resource{Key: key, Object: obj}
}
