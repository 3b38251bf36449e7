package publish

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/platformcluster/function-platform-cluster/fn/compose"
)

func TestHosts(t *testing.T) {
	long := "a-very-long-workload-name-with-its-resource-dns.apps"
	cases := map[string]struct {
		names, wantOverflow []string
		domain, zone        string
		want                []Host
	}{
		"SortedUniqueAndRelativeToTheDomainZone": {
			names:  []string{"headlamp.p.acme.io", "grafana.p.acme.io", "grafana.p.acme.io"},
			domain: "p.acme.io", zone: "p.acme.io",
			want: []Host{
				{Name: "grafana.p.acme.io", Slug: "grafana", Record: "grafana"},
				{Name: "headlamp.p.acme.io", Slug: "headlamp", Record: "headlamp"},
			},
		},
		"RelativeToAParentZone": {
			names:  []string{"web.apps.p.acme.io", "p.acme.io"},
			domain: "p.acme.io", zone: "acme.io",
			want: []Host{
				{Name: "p.acme.io", Slug: "apex", Record: "p"},
				{Name: "web.apps.p.acme.io", Slug: "web-apps", Record: "web.apps.p"},
			},
		},
		"ApexOfTheZone": {
			names:  []string{"p.acme.io"},
			domain: "p.acme.io", zone: "p.acme.io",
			want: []Host{{Name: "p.acme.io", Slug: "apex", Record: ""}},
		},
		"SlugsThatWouldCollideAreHashed": {
			names:  []string{"a-b.c.p.acme.io", "a.b-c.p.acme.io"},
			domain: "p.acme.io", zone: "p.acme.io",
			want: []Host{
				{Name: "a-b.c.p.acme.io", Slug: "a-b-c", Record: "a-b.c"},
				{Name: "a.b-c.p.acme.io", Slug: "a-b-c-" + hashOf("a.b-c.p.acme.io"), Record: "a.b-c"},
			},
		},
		"LongSlugsAreShortenedWithAHash": {
			names:  []string{long + ".p.acme.io"},
			domain: "p.acme.io", zone: "p.acme.io",
			want: []Host{{Name: long + ".p.acme.io", Slug: "a-very-long-workload-name-with-" + hashOf(long+".p.acme.io"), Record: long}},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got, overflow := Hosts(tc.names, tc.domain, tc.zone)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("-want, +got:\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantOverflow, overflow); diff != "" {
				t.Errorf("overflow: -want, +got:\n%s", diff)
			}
			for _, h := range got {
				if len(HTTPSListener(h)) > 63 {
					t.Errorf("listener name %q too long", HTTPSListener(h))
				}
			}
		})
	}
}

func hashOf(host string) string { return compose.Hashed("x", "-", host)[2:] }

// A Gateway has at most 64 listeners: the hosts past 63 are returned apart,
// and which ones does not depend on the order they come in.
func TestHostsOverflow(t *testing.T) {
	var names []string
	for i := 70; i > 0; i-- {
		names = append(names, fmt.Sprintf("h%02d.p.acme.io", i))
	}
	hosts, overflow := Hosts(names, "p.acme.io", "p.acme.io")
	if len(hosts) != MaxHTTPSHosts || len(overflow) != 7 {
		t.Fatalf("got %d hosts and %d overflow", len(hosts), len(overflow))
	}
	if overflow[0] != "h64.p.acme.io" || hosts[0].Name != "h01.p.acme.io" {
		t.Errorf("overflow %v, first host %v", overflow, hosts[0])
	}
}

func TestUnder(t *testing.T) {
	for host, want := range map[string]bool{
		"p.acme.io": true, "a.p.acme.io": true, "a.b.p.acme.io": true,
		"xp.acme.io": false, "acme.io": false, "p.acme.io.evil.io": false,
	} {
		if got := Under(host, "p.acme.io"); got != want {
			t.Errorf("Under(%q) = %v, want %v", host, got, want)
		}
	}
}
