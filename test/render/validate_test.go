package render

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// The Crossplane version whose core CRDs beta validate checks against.
const crossplaneVersion = "v2.2.1"

var (
	validatorOnce sync.Once
	cacheDir      string
	extensions    string
	validatorErr  error
)

// setupValidator prepares what crossplane beta validate needs to run
// offline: a cache holding the Crossplane core CRDs under the name it would
// download them as, and an extensions directory with the provider CRDs from
// ../shared/crds and this repository's XRD.
func setupValidator() (string, string, error) {
	validatorOnce.Do(func() {
		validatorErr = func() error {
			dir, err := os.MkdirTemp("", "render-validate-")
			if err != nil {
				return err
			}
			cacheDir = filepath.Join(dir, "cache")
			core := filepath.Join(cacheDir, "xpkg.crossplane.io", "crossplane", "crossplane@"+crossplaneVersion)
			if err := os.MkdirAll(core, 0o750); err != nil {
				return err
			}
			crds, err := crossplaneCRDs()
			if err != nil {
				return err
			}
			if err := os.WriteFile(filepath.Join(core, "package.yaml"), crds, 0o600); err != nil {
				return err
			}
			extensions = filepath.Join(dir, "extensions")
			if err := os.MkdirAll(extensions, 0o750); err != nil {
				return err
			}
			shared := sharedCRDs()
			files, err := filepath.Glob(filepath.Join(shared, "*", "*.yaml"))
			if err != nil || len(files) == 0 {
				return fmt.Errorf("no provider CRDs under %s (set FPC_SHARED_CRDS or put shared/ beside the repository)", shared)
			}
			files = append(files, filepath.Join(root, "package", "configuration", "xrd.yaml"))
			for _, f := range files {
				b, err := os.ReadFile(f)
				if err != nil {
					return err
				}
				if err := os.WriteFile(filepath.Join(extensions, filepath.Base(f)), b, 0o600); err != nil {
					return err
				}
			}
			return nil
		}()
	})
	return cacheDir, extensions, validatorErr
}

// sharedCRDs is ../shared/crds beside the repository, where CI puts it.
func sharedCRDs() string {
	if d := os.Getenv("FPC_SHARED_CRDS"); d != "" {
		return d
	}
	return filepath.Join(root, "..", "shared", "crds")
}

// crossplaneCRDs joins the core CRDs of the crossplane module the CLI was
// built from.
func crossplaneCRDs() ([]byte, error) {
	cmd := exec.Command("go", "env", "GOMODCACHE")
	out, err := cmd.Output()
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(strings.TrimSpace(string(out)), "github.com", "crossplane", "crossplane", "v2@"+crossplaneVersion, "cluster", "crds")
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("no Crossplane CRDs in %s; test/tools/crossplane.sh downloads the module", dir)
	}
	var b bytes.Buffer
	for _, f := range files {
		c, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		b.WriteString("---\n")
		b.Write(c)
	}
	return b.Bytes(), nil
}

// validate runs crossplane beta validate on a render output, without the
// render's Result documents, and fails the test on any schema or CEL error.
func validate(t *testing.T, name string, rendered []byte) {
	t.Helper()
	out, err := runValidate(t, rendered)
	if err != nil {
		t.Errorf("%s: crossplane beta validate failed: %v\n%s", name, err, out)
		return
	}
	if !strings.Contains(out, " 0 failure cases") || strings.Contains(out, "missing schemas") && !strings.Contains(out, " 0 missing schemas") {
		t.Errorf("%s: crossplane beta validate reported problems:\n%s", name, out)
	}
}

func runValidate(t *testing.T, rendered []byte) (string, error) {
	t.Helper()
	cache, ext, err := setupValidator()
	if err != nil {
		t.Fatal(err)
	}
	var docs []string
	for _, d := range documents(rendered) {
		if bytes.Contains(d, []byte("apiVersion: render.crossplane.io/")) {
			continue
		}
		docs = append(docs, string(d))
	}
	f := filepath.Join(t.TempDir(), "rendered.yaml")
	if err := os.WriteFile(f, []byte("---\n"+strings.Join(docs, "\n---\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(crossplane, "beta", "validate", ext, f,
		"--cache-dir="+cache,
		"--crossplane-image=xpkg.crossplane.io/crossplane/crossplane:"+crossplaneVersion)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// TestValidateCatchesSchemaErrors proves the validation above can fail: the
// provider-linode CRD models pool[].autoscaler as a list, so the object shape
// many examples show must be rejected, as must a Cluster without its
// required fields.
func TestValidateCatchesSchemaErrors(t *testing.T) {
	cases := map[string]string{
		"AutoscalerAsObject": `apiVersion: lke.linode.upbound.io/v1alpha1
kind: Cluster
metadata:
  name: bad
spec:
  forProvider:
    label: bad
    region: us-ord
    k8sVersion: "1.33"
    pool:
      - type: g6-standard-2
        count: 3
        autoscaler: {min: 1, max: 3}
`,
		"MissingRequiredLabel": `apiVersion: lke.linode.upbound.io/v1alpha1
kind: Cluster
metadata:
  name: bad
spec:
  forProvider:
    region: us-ord
    k8sVersion: "1.33"
    pool:
      - type: g6-standard-2
        count: 3
`,
		"ReleaseWithoutChart": `apiVersion: helm.crossplane.io/v1beta1
kind: Release
metadata:
  name: bad
spec:
  forProvider:
    namespace: x
    values: {}
    chart: {name: 3}
`,
	}
	for name, doc := range cases {
		t.Run(name, func(t *testing.T) {
			out, err := runValidate(t, []byte(doc))
			if err == nil && strings.Contains(out, " 0 failure cases") {
				t.Errorf("crossplane beta validate accepted an invalid resource:\n%s", out)
			}
		})
	}
}

// TestExamplesValidate checks the example claims and XRs against the XRD
// schema, so the documented API and the examples cannot drift apart.
func TestExamplesValidate(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(root, "example", "claims", "*.yaml"))
	files = append(files, filepath.Join(root, "example", "render", "xr.yaml"), filepath.Join(root, "example", "render", "xr-minimal.yaml"))
	var docs [][]byte
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range documents(b) {
			if bytes.Contains(d, []byte("apiVersion: platform.fpc.dev/")) {
				docs = append(docs, d)
			}
		}
	}
	if len(docs) < 3 {
		t.Fatalf("want the example claim and XRs, found %d documents", len(docs))
	}
	validate(t, "examples", bytes.Join(docs, []byte("\n---\n")))
}
