package tenant

import (
	"github.com/platformcluster/function-platform-cluster/fn/compose"
)

// nameLabel is set by the API server on every Namespace to its name, so
// unlike other labels no tenant can set it to match another's.
const nameLabel = "kubernetes.io/metadata.name"

// Egress is traffic the platform team lets every tenant's pods send: to a
// CIDR, or to the pods of a namespace.
type Egress struct {
	CIDR, Namespace string
	Except          []string
	Ports           []Port
}

// Port is a port of an Egress rule.
type Port struct {
	Port     int64
	Protocol string
}

// NetworkKey is the composition resource name of a namespace's policy.
func NetworkKey(ns, policy string) string { return "netpol-" + ns + "-" + policy }

// Network builds a namespace's NetworkPolicies: deny everything in and
// out, then allow DNS, traffic among the tenant's namespaces, ingress from
// the platform Gateway's namespace and the egress the Input allows.
func Network(o compose.Owner, ns string, tenantNamespaces []string, gatewayNamespace string, egress []Egress) []compose.Resource {
	all := map[string]any{}
	tenant := []any{map[string]any{"namespaceSelector": map[string]any{"matchExpressions": []any{
		map[string]any{"key": nameLabel, "operator": "In", "values": anyStrings(tenantNamespaces)},
	}}}}
	out := []compose.Resource{
		policy(o, ns, "deny-all", map[string]any{"podSelector": all, "policyTypes": []any{"Ingress", "Egress"}}),
		policy(o, ns, "allow-dns", map[string]any{"podSelector": all, "policyTypes": []any{"Egress"}, "egress": []any{map[string]any{
			"to": []any{map[string]any{
				"namespaceSelector": byName("kube-system"),
				"podSelector":       map[string]any{"matchLabels": map[string]any{"k8s-app": "kube-dns"}},
			}},
			"ports": []any{port(53, "UDP"), port(53, "TCP")},
		}}}),
		policy(o, ns, "allow-tenant", map[string]any{
			"podSelector": all, "policyTypes": []any{"Ingress", "Egress"},
			"ingress": []any{map[string]any{"from": tenant}},
			"egress":  []any{map[string]any{"to": tenant}},
		}),
		policy(o, ns, "allow-gateway", map[string]any{"podSelector": all, "policyTypes": []any{"Ingress"}, "ingress": []any{map[string]any{
			"from": []any{map[string]any{"namespaceSelector": byName(gatewayNamespace)}},
		}}}),
	}
	if len(egress) > 0 {
		out = append(out, policy(o, ns, "allow-egress", map[string]any{"podSelector": all, "policyTypes": []any{"Egress"}, "egress": egressRules(egress)}))
	}
	return out
}

func egressRules(egress []Egress) []any {
	rules := make([]any, 0, len(egress))
	for _, e := range egress {
		to := map[string]any{"namespaceSelector": byName(e.Namespace)}
		if e.CIDR != "" {
			block := map[string]any{"cidr": e.CIDR}
			if len(e.Except) > 0 {
				block["except"] = anyStrings(e.Except)
			}
			to = map[string]any{"ipBlock": block}
		}
		rule := map[string]any{"to": []any{to}}
		if len(e.Ports) > 0 {
			ports := make([]any, 0, len(e.Ports))
			for _, p := range e.Ports {
				ports = append(ports, port(p.Port, p.Protocol))
			}
			rule["ports"] = ports
		}
		rules = append(rules, rule)
	}
	return rules
}

func policy(o compose.Owner, ns, name string, spec map[string]any) compose.Resource {
	m := manifest("networking.k8s.io/v1", "NetworkPolicy", ns, name)
	m["spec"] = spec
	return Inside(o, NetworkKey(ns, name), m)
}

func byName(ns string) map[string]any {
	return map[string]any{"matchLabels": map[string]any{nameLabel: ns}}
}

func port(n int64, protocol string) map[string]any {
	if protocol == "" {
		protocol = "TCP"
	}
	return map[string]any{"port": n, "protocol": protocol}
}

func anyStrings(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
