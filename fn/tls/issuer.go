// Package tls builds what gives the platform's hosts their certificates on
// the new cluster: cert-manager's ACME ClusterIssuer and one Certificate per
// host, each wrapped in a provider-kubernetes Object.
package tls

import (
	"github.com/platformcluster/function-platform-cluster/fn/compose"
	"github.com/platformcluster/function-platform-cluster/fn/object"
)

// Component is the status component of cert-manager and its issuer.
const Component = "tls"

// IssuerKey is the composition resource name of the ClusterIssuer's Object.
const IssuerKey = "object-cluster-issuer"

// Issuer says where certificates come from and how challenges are answered.
type Issuer struct {
	// Name of the ClusterIssuer; Server is its ACME directory URL.
	Name, Server string
	// Email is the ACME account's contact.
	Email string
	// Gateway and GatewayNamespace name the Gateway whose HTTP listener
	// (HTTPListener) serves the HTTP-01 challenges.
	Gateway, GatewayNamespace, HTTPListener string
}

// ClusterIssuer builds the ACME ClusterIssuer. It answers HTTP-01
// challenges through the platform's own Gateway, so no DNS provider token
// ever has to reach the new cluster: cert-manager adds a route for each
// challenge to the Gateway's plain-HTTP listener. Its solver Service is
// ClusterIP because the Gateway, not a node port, reaches it.
func ClusterIssuer(o compose.Owner, is Issuer) compose.Resource {
	m := map[string]any{
		"apiVersion": "cert-manager.io/v1",
		"kind":       "ClusterIssuer",
		"metadata":   map[string]any{"name": is.Name},
		"spec": map[string]any{"acme": map[string]any{
			"server":              is.Server,
			"email":               is.Email,
			"privateKeySecretRef": map[string]any{"name": is.Name + "-account"},
			"solvers": []any{map[string]any{"http01": map[string]any{"gatewayHTTPRoute": map[string]any{
				"serviceType": "ClusterIP",
				"parentRefs": []any{map[string]any{
					"group": "gateway.networking.k8s.io", "kind": "Gateway",
					"name": is.Gateway, "namespace": is.GatewayNamespace, "sectionName": is.HTTPListener,
				}},
			}}}},
		}},
	}
	// Ready once the ACME account is registered; a refused email shows in
	// its message.
	return object.Wrap(o, IssuerKey, "cluster-issuer", m, object.ConditionTrue("Ready"), Component)
}
