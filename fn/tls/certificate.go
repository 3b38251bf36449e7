package tls

import (
	"github.com/platformcluster/function-platform-cluster/fn/compose"
	"github.com/platformcluster/function-platform-cluster/fn/object"
)

// CertificateKey is the composition resource name of a host's Certificate.
func CertificateKey(slug string) string { return "object-cert-" + slug }

// SecretName is the Secret a host's certificate is kept in, which the
// Gateway's listener for the host refers to.
func SecretName(slug string) string { return "tls-" + slug }

// Certificate builds the Certificate of one host in the Gateway's
// namespace, where a listener may use its Secret without a ReferenceGrant.
// The function creates Certificates itself rather than letting
// cert-manager's gateway-shim derive them from the Gateway, so their names
// and readiness are its own to report.
func Certificate(o compose.Owner, host, slug, namespace, issuer string) compose.Resource {
	m := map[string]any{
		"apiVersion": "cert-manager.io/v1",
		"kind":       "Certificate",
		"metadata":   map[string]any{"name": SecretName(slug), "namespace": namespace},
		"spec": map[string]any{
			"secretName": SecretName(slug),
			"dnsNames":   []any{host},
			"issuerRef":  map[string]any{"group": "cert-manager.io", "kind": "ClusterIssuer", "name": issuer},
		},
	}
	return object.Wrap(o, CertificateKey(slug), "cert-"+slug, m, object.ConditionTrue("Ready"), Component)
}
