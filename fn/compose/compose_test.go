package compose

import (
	"strings"
	"testing"
)

func TestName(t *testing.T) {
	cases := map[string]struct {
		xr, suffix, want string
	}{
		"Short": {xr: "demo-x7k2p", suffix: "cluster", want: "demo-x7k2p-cluster"},
		"TooLongIsHashedStably": {
			xr:     strings.Repeat("a", 60),
			suffix: "release-nginx-gateway-fabric",
			want:   strings.Repeat("a", 54) + "-" + "2012afc2",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := Name(tc.xr, tc.suffix)
			if len(got) > 63 {
				t.Errorf("Name(...) = %q is longer than 63", got)
			}
			if got != tc.want {
				t.Errorf("Name(...): want %q, got %q", tc.want, got)
			}
		})
	}
	// Different long inputs with the same prefix must not collide.
	a, b := Name(strings.Repeat("a", 70), "x"), Name(strings.Repeat("a", 70), "y")
	if a == b {
		t.Errorf("Name collided for different suffixes: %q", a)
	}
}
