package settings

import (
	"cmp"
	"fmt"
	"net"

	"github.com/platformcluster/function-platform-cluster/fn/score"
	"github.com/platformcluster/function-platform-cluster/fn/sorted"
	"github.com/platformcluster/function-platform-cluster/fn/tenant"
	"github.com/platformcluster/function-platform-cluster/input/v1beta1"
)

// DefaultPodSecurity is the Pod Security level of tenants' namespaces.
const DefaultPodSecurity = "restricted"

// clusterNamespaces are namespaces of the cluster itself and of what runs
// the platform, whatever the Input says.
var clusterNamespaces = []string{
	"default", "kube-system", "kube-public", "kube-node-lease",
	"crossplane-system", "cert-manager", "observability", "nginx-gateway", "harbor", "headlamp",
}

// Tenancy is what the platform team decides for every tenant.
type Tenancy struct {
	PodSecurity tenant.PodSecurity
	Egress      []tenant.Egress
	// Reserved maps each namespace no tenant may take to whose it is.
	Reserved map[string]string
}

func tenancy(in v1beta1.Tenancy, s Settings) (Tenancy, error) {
	t := Tenancy{PodSecurity: tenant.PodSecurity(cmp.Or(in.PodSecurity, DefaultPodSecurity)), Reserved: map[string]string{}}
	for i, e := range in.Egress {
		if err := checkEgress(i, e); err != nil {
			return Tenancy{}, err
		}
		eg := tenant.Egress{CIDR: e.CIDR, Namespace: e.Namespace, Except: e.Except}
		for _, p := range e.Ports {
			eg.Ports = append(eg.Ports, tenant.Port{Port: p.Port, Protocol: p.Protocol})
		}
		t.Egress = append(t.Egress, eg)
	}
	for _, ns := range clusterNamespaces {
		t.Reserved[ns] = "the platform"
	}
	for _, name := range sorted.Keys(s.Charts) {
		if ns := s.Charts[name].Namespace; ns != "" {
			t.Reserved[ns] = "the platform (add-on " + name + ")"
		}
	}
	t.Reserved[s.Gateway.Namespace] = "the platform (its Gateway)"
	t.Reserved[score.SharedNamespace] = "the platform (shared Score resources)"
	for _, ns := range in.ReservedNamespaces {
		t.Reserved[ns] = "the platform (function Input tenancy.reservedNamespaces)"
	}
	return t, nil
}

// checkEgress makes an egress rule name exactly one destination, and a
// CIDR parse, so no tenant's policy is refused by the API server.
func checkEgress(i int, e v1beta1.TenantEgress) error {
	p := fmt.Sprintf("input tenancy.egress[%d]", i)
	if (e.CIDR == "") == (e.Namespace == "") {
		return fmt.Errorf("%s must set exactly one of cidr and namespace", p)
	}
	for j, c := range append([]string{e.CIDR}, e.Except...) {
		if c == "" && j == 0 {
			continue
		}
		if _, _, err := net.ParseCIDR(c); err != nil {
			return fmt.Errorf("%s: %q is not a CIDR: %v", p, c, err)
		}
	}
	return nil
}
