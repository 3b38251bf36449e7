package settings

import (
	"fmt"
	"net/url"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/platformcluster/function-platform-cluster/fn/spec"
	"github.com/platformcluster/function-platform-cluster/input/v1beta1"
)

// DNS says how the platform's hosts get DNS records.
type DNS struct {
	// Managed is false when the platform team points the hosts itself.
	Managed bool
	// ZoneID and Zone name an existing Linode zone; ZoneID 0 means each
	// claim's domain becomes a zone of its own.
	ZoneID int64
	Zone   string
	TTLSec int64
}

// acmeServer resolves the Input's ACME server into a directory URL and the
// name of the ClusterIssuer for it. Each server gets its own issuer name,
// so switching servers replaces the issuer rather than re-pointing an
// account registered with another server.
func acmeServer(in string) (server, issuer string, err error) {
	if in == "" {
		in = DefaultACMEServer
	}
	if u, ok := ACMEServers[in]; ok {
		return u, "letsencrypt-" + in, nil
	}
	u, perr := url.Parse(in)
	if perr != nil || u.Scheme != "https" || u.Host == "" {
		return "", "", fmt.Errorf("input tls.acmeServer %q must be %q, %q or an https:// ACME directory URL", in, ACMEProduction, ACMEStaging)
	}
	host := strings.ReplaceAll(strings.ToLower(u.Hostname()), ".", "-")
	return in, trimName("acme-" + host), nil
}

func trimName(n string) string {
	if len(n) > 63 {
		n = strings.TrimRight(n[:63], "-")
	}
	return n
}

func dnsSettings(in v1beta1.DNS) (DNS, error) {
	d := DNS{Managed: true, TTLSec: DefaultDNSTTL}
	switch in.Provider {
	case "", DNSLinode:
	case DNSNone:
		d.Managed = false
	default:
		return DNS{}, fmt.Errorf("input dns.provider %q must be %q or %q", in.Provider, DNSLinode, DNSNone)
	}
	if in.TTLSec != nil {
		d.TTLSec = *in.TTLSec
	}
	if z := in.Zone; z != nil {
		if z.ID < 1 {
			return DNS{}, fmt.Errorf("input dns.zone.id must be the Linode domain ID of the zone, got %d", z.ID)
		}
		if errs := spec.ValidateDomain(z.Domain, field.NewPath("input", "dns", "zone", "domain")); len(errs) > 0 {
			return DNS{}, errs.ToAggregate()
		}
		d.ZoneID, d.Zone = z.ID, z.Domain
	}
	return d, nil
}
