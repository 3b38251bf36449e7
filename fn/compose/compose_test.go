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

// A shortened name never ends its cut part with a character the caller
// trims, and the hash is of the whole name.
func TestShorten(t *testing.T) {
	cases := map[string]struct {
		s          string
		max        int
		trim, want string
	}{
		"FitsAsIs": {s: "team-a.demo", max: 11, trim: "-.", want: "team-a.demo"},
		"CutTrimmed": {
			s: "team-a.demo", max: 10, trim: "-.",
			want: "t" + Hashed("", "", "team-a.demo"),
		},
		"CutKeepsUntrimmed": {
			s: "ab.-cdefghijkl", max: 13, trim: "",
			want: "ab.-" + Hashed("", "", "ab.-cdefghijkl"),
		},
		"CutTrimsDashAndDot": {
			s: "ab.-cdefghijkl", max: 13, trim: "-.",
			want: "ab" + Hashed("", "", "ab.-cdefghijkl"),
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := Shorten(tc.s, tc.max, tc.trim)
			if got != tc.want {
				t.Errorf("Shorten(%q, %d, %q): want %q, got %q", tc.s, tc.max, tc.trim, tc.want, got)
			}
			if len(got) > tc.max {
				t.Errorf("Shorten(...) = %q is longer than %d", got, tc.max)
			}
		})
	}
}
