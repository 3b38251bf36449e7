package render

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"sigs.k8s.io/yaml"

	"github.com/platformcluster/function-platform-cluster/fn/charts"
	"github.com/platformcluster/function-platform-cluster/input/v1beta1"
)

// The manifests the function delivers inside provider-kubernetes Objects
// are validated too, for the API groups whose CRDs can be had offline: the
// Gateway API (the CRDs the function itself installs, fn/gatewayapi/crds)
// and cert-manager (from the Go module of the pinned chart's version, whose
// deploy/crds are the CRDs its chart installs). Core kinds have no CRD to
// validate against; NGINX Gateway Fabric's policies are not reachable
// offline (its module is not served by the Go proxy).
var manifestGroups = []string{"gateway.networking.k8s.io/", "cert-manager.io/"}

var (
	manifestOnce sync.Once
	manifestExt  string
	manifestErr  error
)

func manifestExtensions() (string, error) {
	manifestOnce.Do(func() {
		manifestErr = func() error {
			cs, err := charts.Resolve(v1beta1.Charts{})
			if err != nil {
				return err
			}
			dir, err := moduleDir("github.com/cert-manager/cert-manager@" + cs[charts.CertManager].Version)
			if err != nil {
				return err
			}
			files, _ := filepath.Glob(filepath.Join(dir, "deploy", "crds", "cert-manager.io_*.yaml"))
			gw, _ := filepath.Glob(filepath.Join(root, "fn", "gatewayapi", "crds", "*.yaml"))
			if len(files) == 0 || len(gw) == 0 {
				return fmt.Errorf("no cert-manager CRDs in %s or no Gateway API CRDs in fn/gatewayapi/crds", dir)
			}
			manifestExt, err = os.MkdirTemp("", "render-manifests-")
			if err != nil {
				return err
			}
			return copyInto(manifestExt, append(files, gw...))
		}()
	})
	return manifestExt, manifestErr
}

// deliveredManifests returns, as YAML documents, the manifests of the
// rendered Objects in manifestGroups.
func deliveredManifests(t *testing.T, rendered []byte) []string {
	t.Helper()
	var out []string
	for _, d := range documents(rendered) {
		if !bytes.Contains(d, []byte("kind: Object")) {
			continue
		}
		obj := map[string]any{}
		if err := yaml.Unmarshal(d, &obj); err != nil {
			t.Fatal(err)
		}
		sp, _ := obj["spec"].(map[string]any)
		fp, _ := sp["forProvider"].(map[string]any)
		m, _ := fp["manifest"].(map[string]any)
		av, _ := m["apiVersion"].(string)
		for _, g := range manifestGroups {
			if strings.HasPrefix(av, g) {
				b, err := yaml.Marshal(m)
				if err != nil {
					t.Fatal(err)
				}
				out = append(out, string(b))
			}
		}
	}
	return out
}

// validateManifests runs crossplane resource validate on the delivered
// manifests with the CRDs above, and fails unless every one passes.
func validateManifests(t *testing.T, name string, rendered []byte) {
	t.Helper()
	docs := deliveredManifests(t, rendered)
	if len(docs) == 0 {
		return
	}
	out, err := runValidateWith(t, docs, manifestExtensions)
	if err != nil {
		t.Errorf("%s: delivered manifests: crossplane resource validate: %v\n%s", name, err, out)
	}
}

// The full example, once everything is composed, delivers every kind of
// Gateway API and cert-manager object the function builds; a mistake in
// one (here a Certificate without the issuerRef cert-manager requires)
// must fail.
func TestManifestValidatorRejects(t *testing.T) {
	bad := `apiVersion: cert-manager.io/v1
kind: Certificate
metadata: {name: tls-x, namespace: nginx-gateway}
spec:
  secretName: tls-x
  dnsNames: [x.example.org]
`
	if out, err := runValidateWith(t, []string{bad}, manifestExtensions); err == nil {
		t.Errorf("a Certificate without issuerRef passed:\n%s", out)
	}
	good := strings.Replace(bad, "  dnsNames:", "  issuerRef: {kind: ClusterIssuer, name: letsencrypt-staging}\n  dnsNames:", 1)
	if out, err := runValidateWith(t, []string{good}, manifestExtensions); err != nil {
		t.Errorf("the control, with issuerRef, failed: %v\n%s", err, out)
	}
}

func TestEveryPublishingKindIsValidated(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "full-8-everything-ready.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]bool{}
	for _, d := range deliveredManifests(t, b) {
		m := map[string]any{}
		_ = yaml.Unmarshal([]byte(d), &m)
		kinds[m["kind"].(string)] = true
	}
	for _, k := range []string{"Gateway", "HTTPRoute", "ClusterIssuer", "Certificate"} {
		if !kinds[k] {
			t.Errorf("no %s among the validated manifests of the full example (got %v)", k, kinds)
		}
	}
}
