package settings

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/platformcluster/function-platform-cluster/fn/tenant"
	"github.com/platformcluster/function-platform-cluster/input/v1beta1"
)

func TestTenancy(t *testing.T) {
	cases := map[string]struct {
		in      v1beta1.Input
		want    Tenancy
		wantErr string
	}{
		"Defaults": {
			want: Tenancy{PodSecurity: "restricted"},
		},
		"EgressToACIDRAndANamespace": {
			in: v1beta1.Input{Tenancy: v1beta1.Tenancy{PodSecurity: "baseline", Egress: []v1beta1.TenantEgress{
				{CIDR: "0.0.0.0/0", Except: []string{"169.254.169.254/32"}, Ports: []v1beta1.TenantPort{{Port: 443, Protocol: "TCP"}}},
				{Namespace: "observability", Ports: []v1beta1.TenantPort{{Port: 4317}}},
			}}},
			want: Tenancy{PodSecurity: "baseline", Egress: []tenant.Egress{
				{CIDR: "0.0.0.0/0", Except: []string{"169.254.169.254/32"}, Ports: []tenant.Port{{Port: 443, Protocol: "TCP"}}},
				{Namespace: "observability", Ports: []tenant.Port{{Port: 4317}}},
			}},
		},
		"EgressToBoth":    {in: egress(v1beta1.TenantEgress{CIDR: "10.0.0.0/8", Namespace: "x"}), wantErr: "input tenancy.egress[0] must set exactly one of cidr and namespace"},
		"EgressToNothing": {in: egress(v1beta1.TenantEgress{}), wantErr: "input tenancy.egress[0] must set exactly one of cidr and namespace"},
		"EgressNotACIDR":  {in: egress(v1beta1.TenantEgress{CIDR: "10.0.0.0/33"}), wantErr: `input tenancy.egress[0]: "10.0.0.0/33" is not a CIDR: invalid CIDR address: 10.0.0.0/33`},
		"ExceptNotACIDR":  {in: egress(v1beta1.TenantEgress{CIDR: "10.0.0.0/8", Except: []string{"x"}}), wantErr: `input tenancy.egress[0]: "x" is not a CIDR: invalid CIDR address: x`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			s, err := Resolve(&tc.in)
			if tc.wantErr != "" || err != nil {
				if err == nil || err.Error() != tc.wantErr {
					t.Fatalf("Resolve(...): want error %q, got %v", tc.wantErr, err)
				}
				return
			}
			got := s.Tenancy
			for _, ns := range []string{"kube-system", "default", "observability", "nginx-gateway", "cert-manager", "harbor", "headlamp", "crossplane-system", "score-shared"} {
				if got.Reserved[ns] == "" {
					t.Errorf("Reserved: want %s reserved", ns)
				}
			}
			got.Reserved = nil
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Resolve(...).Tenancy: -want, +got:\n%s", diff)
			}
		})
	}
	// The Gateway's namespace and the Input's own reservations are reserved.
	in := v1beta1.Input{Tenancy: v1beta1.Tenancy{ReservedNamespaces: []string{"billing"}}, Gateway: v1beta1.Gateway{Namespace: "edge"}}
	s, err := Resolve(&in)
	if err != nil {
		t.Fatal(err)
	}
	for _, ns := range []string{"billing", "edge"} {
		if s.Tenancy.Reserved[ns] == "" {
			t.Errorf("Reserved: want %s reserved, got %v", ns, s.Tenancy.Reserved)
		}
	}
}

func egress(e v1beta1.TenantEgress) v1beta1.Input {
	return v1beta1.Input{Tenancy: v1beta1.Tenancy{Egress: []v1beta1.TenantEgress{e}}}
}
