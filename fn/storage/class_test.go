package storage

import (
	"strings"
	"testing"
)

func TestClaimTag(t *testing.T) {
	cases := map[string]struct {
		ns, name, xr, want string
	}{
		"Claim":          {ns: "team-a", name: "demo", xr: "demo-x7k2p", want: "platform-claim:team-a.demo"},
		"XRWithoutClaim": {xr: "demo-x7k2p", want: "platform-xr:demo-x7k2p"},
		"TooLongIsHashed": {
			ns: "a-very-long-team-namespace", name: "and-a-long-claim-name", xr: "x",
			want: "platform-claim:a-very-long-team-namespace-4cf595ba",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := ClaimTag(tc.ns, tc.name, tc.xr)
			if got != tc.want {
				t.Errorf("ClaimTag(%q, %q, %q) = %q, want %q", tc.ns, tc.name, tc.xr, got, tc.want)
			}
			if len(got) < 3 || len(got) > maxTag || strings.Contains(got, ",") {
				t.Errorf("ClaimTag = %q: not a valid Linode tag of 3-50 characters without commas", got)
			}
		})
	}
}
