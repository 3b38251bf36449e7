package dns

import "testing"

func TestTargetType(t *testing.T) {
	for v, want := range map[string]string{
		"192.0.2.10": "A", "2001:db8::1": "AAAA", "::ffff:192.0.2.10": "AAAA", "lb-1.nodebalancer.linode.com": "CNAME",
	} {
		if got := (Target{Value: v}).Type(); got != want {
			t.Errorf("Target{%q}.Type() = %s, want %s", v, got, want)
		}
	}
}
