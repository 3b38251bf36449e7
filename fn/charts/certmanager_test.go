package charts_test

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/platformcluster/function-platform-cluster/fn/charts"
)

// helmSecretLimit is what Kubernetes allows a Secret's data, and so a Helm
// release, which Helm keeps whole in one Secret.
const helmSecretLimit = 1 << 20

// TestCertManagerReleaseFitsHelmSecret estimates the Secret Helm stores the
// cert-manager release in, with its CRDs, the way Helm encodes it
// (pkg/storage/driver/util.go encodeRelease: the release as JSON, chart
// files base64 inside it, gzipped at best compression, base64 again). The
// rendered manifest is stood in for by the templates' text, of which the
// CRDs are nearly all. The chart comes from the cert-manager Go module at
// the pinned version, whose deploy/charts/cert-manager is the chart's
// source.
func TestCertManagerReleaseFitsHelmSecret(t *testing.T) {
	if testing.Short() {
		t.Skip("downloads the cert-manager module")
	}
	c := pinned(t)[charts.CertManager]
	dir := certManagerChart(t, c.Version)

	type file struct {
		Name string `json:"name"`
		Data []byte `json:"data"`
	}
	var templates, files []file
	var manifest strings.Builder
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		if strings.HasPrefix(rel, "tests"+string(filepath.Separator)) {
			return nil // not packaged
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if strings.HasPrefix(rel, "templates"+string(filepath.Separator)) {
			templates = append(templates, file{rel, b})
			manifest.Write(b)
			return nil
		}
		files = append(files, file{rel, b})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	release, err := json.Marshal(map[string]any{
		"name":     charts.CertManager,
		"chart":    map[string]any{"templates": templates, "files": files},
		"manifest": manifest.String(),
	})
	if err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	w, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	_, _ = w.Write(release)
	_ = w.Close()
	size := base64.StdEncoding.EncodedLen(gz.Len())
	t.Logf("cert-manager %s release Secret: about %d bytes (limit %d)", c.Version, size, helmSecretLimit)
	if !strings.Contains(manifest.String(), "kind: CustomResourceDefinition") {
		t.Fatal("no CRD templates in the chart: the estimate would be meaningless")
	}
	if size > helmSecretLimit {
		t.Errorf("cert-manager %s with its CRDs needs a release Secret of about %d bytes, over Helm's %d: install its CRDs another way", c.Version, size, helmSecretLimit)
	}
}

func certManagerChart(t *testing.T, version string) string {
	t.Helper()
	cmd := exec.Command("go", "mod", "download", "-json", "github.com/cert-manager/cert-manager@"+version)
	cmd.Dir = os.TempDir()
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go mod download cert-manager %s: %v", version, err)
	}
	var m struct{ Dir string }
	if err := json.Unmarshal(out, &m); err != nil || m.Dir == "" {
		t.Fatalf("go mod download cert-manager %s: %s", version, out)
	}
	return filepath.Join(m.Dir, "deploy", "charts", "cert-manager")
}

// TestCertManagerConfigHasGatewayAPI: the function turns on Gateway API
// support through the chart's config value, which the chart renders into
// the controller's ControllerConfiguration. That type must have the field
// at the pinned version (1.20 had only the older enableGatewayAPI); an
// unknown field would be ignored and HTTP-01 through the Gateway would
// fail with "gateway api is not enabled".
func TestCertManagerConfigHasGatewayAPI(t *testing.T) {
	if testing.Short() {
		t.Skip("downloads the cert-manager module")
	}
	c := pinned(t)[charts.CertManager]
	chart := certManagerChart(t, c.Version)
	module := filepath.Join(chart, "..", "..", "..")
	src, err := os.ReadFile(filepath.Join(module, "pkg", "apis", "config", "controller", "v1alpha1", "types.go"))
	if err != nil {
		t.Fatal(err)
	}
	for _, field := range []string{"GatewayAPIConfig `json:\"gatewayAPI", "Enabled *bool `json:\"enabled"} {
		if !strings.Contains(string(src), field) {
			t.Errorf("cert-manager %s's ControllerConfiguration has no %s", c.Version, field)
		}
	}
	tmpl, err := os.ReadFile(filepath.Join(chart, "templates", "controller-config.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(tmpl), "ControllerConfiguration") || !strings.Contains(string(tmpl), "$config | toYaml") {
		t.Errorf("cert-manager %s's chart no longer renders config into the ControllerConfiguration", c.Version)
	}
}
