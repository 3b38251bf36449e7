package plane

import (
	"bytes"
	"compress/gzip"
	"context"
	"os"
	"path/filepath"
	"strings"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// SeedPackage puts a package's YAML stream into Crossplane's package cache
// under the name Crossplane gives it for a digest reference, so that a
// Function or Configuration naming source@digest installs without a
// registry.
func (p *Plane) SeedPackage(source, digest string, stream []byte) error {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(stream); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	name := friendlyID(source, digest) + ".gz"
	return os.WriteFile(filepath.Join(p.opts.Dir, "xpkg-cache", name), buf.Bytes(), 0o600)
}

// friendlyID is how Crossplane v2.2.1 names a cached package: the source
// and digest, each truncated, as one DNS label.
func friendlyID(source, digest string) string {
	s := cut(source, 50) + "-" + cut(digest, 12)
	var b strings.Builder
	for i := 0; i < len(s) && i <= 62; i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
			b.WriteByte(c)
		case strings.IndexByte("./:-", c) >= 0 && i != 0 && i != 62 && i != len(s)-1:
			b.WriteByte('-')
		}
	}
	return strings.Trim(b.String(), "-")
}

func cut(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// RegisterFunctionRevision does, for a FunctionRevision, what Crossplane's
// Deployment runtime does once the function's pod serves: it publishes the
// endpoint and the Secret with the server's certificate, and reports the
// runtime healthy. The function process already serves at FunctionAddress,
// behind the Gate.
func (p *Plane) RegisterFunctionRevision(ctx context.Context, rev *unstructured.Unstructured) error {
	secret := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "v1", "kind": "Secret",
		"metadata": map[string]any{"name": rev.GetName() + "-tls-server", "namespace": crossplaneNamespace},
		"data": map[string]any{
			"tls.crt": b64(p.pki.serving.cert), "tls.key": b64(p.pki.serving.key), "ca.crt": b64(p.pki.mtls.pem),
		},
	}}
	if err := p.Mgmt.Apply(ctx, secret); err != nil {
		return err
	}
	_ = unstructured.SetNestedField(rev.Object, FunctionGateAddress, "status", "endpoint")
	_ = unstructured.SetNestedField(rev.Object, secret.GetName(), "status", "tlsServerSecretName")
	conds, _, _ := unstructured.NestedSlice(rev.Object, "status", "conditions")
	var kept []any
	for _, c := range conds {
		if c.(map[string]any)["type"] != "RuntimeHealthy" {
			kept = append(kept, c)
		}
	}
	kept = append(kept, map[string]any{
		"type": "RuntimeHealthy", "status": "True", "reason": "HealthyPackageRevision",
		"lastTransitionTime": time.Now().UTC().Format(time.RFC3339),
	})
	_ = unstructured.SetNestedSlice(rev.Object, kept, "status", "conditions")
	r, err := p.Mgmt.Resource(rev.GroupVersionKind(), "")
	if err != nil {
		return err
	}
	_, err = r.UpdateStatus(ctx, rev, metav1.UpdateOptions{})
	return err
}
