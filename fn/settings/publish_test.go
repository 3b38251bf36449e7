package settings

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/platformcluster/function-platform-cluster/input/v1beta1"
)

func TestACMEServer(t *testing.T) {
	cases := map[string]struct {
		in, server, issuer, err string
	}{
		"DefaultIsProduction": {server: "https://acme-v02.api.letsencrypt.org/directory", issuer: "letsencrypt-production"},
		"Staging":             {in: "staging", server: "https://acme-staging-v02.api.letsencrypt.org/directory", issuer: "letsencrypt-staging"},
		"AnotherACMEServer":   {in: "https://acme.zerossl.com/v2/DV90", server: "https://acme.zerossl.com/v2/DV90", issuer: "acme-acme-zerossl-com"},
		"PlainHTTPRefused":    {in: "http://acme.internal/directory", err: `input tls.acmeServer "http://acme.internal/directory" must be "production", "staging" or an https:// ACME directory URL`},
		"Typo":                {in: "prod", err: `input tls.acmeServer "prod" must be`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			s, err := Resolve(&v1beta1.Input{TLS: v1beta1.TLS{ACMEServer: tc.in}})
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("want error %q, got %v", tc.err, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if s.ACMEServer != tc.server || s.Issuer != tc.issuer {
				t.Errorf("got %q %q, want %q %q", s.ACMEServer, s.Issuer, tc.server, tc.issuer)
			}
		})
	}
}

func TestDNSSettings(t *testing.T) {
	ttl := int64(60)
	cases := map[string]struct {
		in   v1beta1.DNS
		want DNS
		err  string
	}{
		"Default":      {want: DNS{Managed: true, TTLSec: DefaultDNSTTL}},
		"None":         {in: v1beta1.DNS{Provider: "none"}, want: DNS{TTLSec: DefaultDNSTTL}},
		"ExistingZone": {in: v1beta1.DNS{Zone: &v1beta1.DNSZone{ID: 7, Domain: "acme.io"}, TTLSec: &ttl}, want: DNS{Managed: true, ZoneID: 7, Zone: "acme.io", TTLSec: 60}},
		"UnknownProvider": {
			in: v1beta1.DNS{Provider: "route53"}, err: `input dns.provider "route53" must be "linode" or "none"`,
		},
		"ZoneWithoutID": {
			in: v1beta1.DNS{Zone: &v1beta1.DNSZone{Domain: "acme.io"}}, err: "input dns.zone.id must be the Linode domain ID",
		},
		"ZoneNotADomain": {
			in: v1beta1.DNS{Zone: &v1beta1.DNSZone{ID: 7, Domain: "ACME"}}, err: `input.dns.zone.domain: Invalid value: "ACME"`,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			s, err := Resolve(&v1beta1.Input{DNS: tc.in})
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("want error %q, got %v", tc.err, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, s.DNS); diff != "" {
				t.Errorf("-want, +got:\n%s", diff)
			}
		})
	}
}
