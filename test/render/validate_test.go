package render

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// The Crossplane version whose core CRDs resource validate checks against:
// the core that renders (test/tools/live-binaries.sh's XP).
const crossplaneVersion = "v2.4.0"

var (
	validatorOnce sync.Once
	cacheDir      string
	extensions    string
	validatorErr  error
)

// setupValidator prepares what crossplane resource validate needs to run
// offline: a cache holding the Crossplane core CRDs under the name it would
// download them as, and an extensions directory with the provider CRDs from
// ../shared/crds, this repository's XRD and the function's Input CRD.
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
			// This repository's XRD, and the function's Input CRD, which
			// resource validate checks Composition pipeline inputs against.
			inputs, _ := filepath.Glob(filepath.Join(root, "package", "function", "input", "*.yaml"))
			files = append(files, filepath.Join(root, "package", "configuration", "xrd.yaml"))
			files = append(files, inputs...)
			return copyInto(extensions, files)
		}()
	})
	return cacheDir, extensions, validatorErr
}

// copyInto copies files into dir, keeping their base names.
func copyInto(dir string, files []string) error {
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), b, 0o600); err != nil {
			return err
		}
	}
	return nil
}

// sharedCRDs is ../shared/crds beside the repository, where CI puts it.
func sharedCRDs() string {
	if d := os.Getenv("FPC_SHARED_CRDS"); d != "" {
		return d
	}
	return filepath.Join(root, "..", "shared", "crds")
}

// crossplaneCRDs joins the core CRDs of the crossplane module the CLI is
// built from, downloading the module if the cache lacks it.
func crossplaneCRDs() ([]byte, error) {
	dir, err := moduleDir("github.com/crossplane/crossplane/v2@" + crossplaneVersion)
	if err != nil {
		return nil, err
	}
	files, err := filepath.Glob(filepath.Join(dir, "cluster", "crds", "*.yaml"))
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("no Crossplane CRDs in %s", dir)
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

// moduleDir is where the Go module cache holds a module version.
func moduleDir(module string) (string, error) {
	cmd := exec.Command("go", "mod", "download", "-json", module)
	cmd.Dir = os.TempDir() // outside this module: no go.mod constraints apply
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go mod download %s: %w", module, err)
	}
	var m struct{ Dir, Error string }
	if err := json.Unmarshal(out, &m); err != nil {
		return "", err
	}
	if m.Error != "" || m.Dir == "" {
		return "", fmt.Errorf("go mod download %s: %s", module, m.Error)
	}
	return m.Dir, nil
}

// summary is resource validate's last line.
var summary = regexp.MustCompile(`Total (\d+) resources: (\d+) missing schemas, (\d+) success cases, (\d+) failure cases`)

// validate runs crossplane resource validate on a render output, without the
// render's Result documents, and fails the test on any schema or CEL error.
func validate(t *testing.T, name string, rendered []byte) {
	t.Helper()
	if out, err := runValidate(t, rendered); err != nil {
		t.Errorf("%s: crossplane resource validate: %v\n%s", name, err, out)
	}
}

// runValidate validates every document but render's own, with every proxy
// pointed at a closed port so that nothing can be downloaded: whatever the
// validator needs must be in the cache. It fails unless every document has
// a schema and passes it.
func runValidate(t *testing.T, rendered []byte) (string, error) {
	t.Helper()
	var docs []string
	for _, d := range documents(rendered) {
		if bytes.Contains(d, []byte("apiVersion: render.crossplane.io/")) {
			continue
		}
		docs = append(docs, string(d))
	}
	if len(docs) == 0 {
		t.Fatal("nothing to validate")
	}
	return runValidateWith(t, docs, func() (string, error) {
		_, ext, err := setupValidator()
		return ext, err
	})
}

// runValidateWith validates docs against the schemas in the extensions
// directory extensions returns.
func runValidateWith(t *testing.T, docs []string, extensions func() (string, error)) (string, error) {
	t.Helper()
	cache, _, err := setupValidator()
	if err != nil {
		t.Fatal(err)
	}
	ext, err := extensions()
	if err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(t.TempDir(), "rendered.yaml")
	if err := os.WriteFile(f, []byte("---\n"+strings.Join(docs, "\n---\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(crossplane, "resource", "validate", ext, f,
		"--cache-dir="+cache,
		"--crossplane-image=xpkg.crossplane.io/crossplane/crossplane:"+crossplaneVersion,
		"--error-on-missing-schemas")
	const closed = "http://127.0.0.1:9"
	cmd.Env = append(os.Environ(), "HTTPS_PROXY="+closed, "HTTP_PROXY="+closed, "https_proxy="+closed, "http_proxy="+closed, "NO_PROXY=", "no_proxy=")
	out, err := cmd.CombinedOutput()
	if err != nil {
		return string(out), err
	}
	m := summary.FindStringSubmatch(string(out))
	if m == nil {
		return string(out), errors.New("no summary line in the output")
	}
	// A Composition's pipeline inputs count as resources of their own, so
	// there may be more resources than documents, never fewer.
	if total, _ := strconv.Atoi(m[1]); total < len(docs) || m[2] != "0" || m[3] != m[1] || m[4] != "0" {
		return string(out), fmt.Errorf("want all %d documents validated successfully", len(docs))
	}
	return string(out), nil
}

// validCluster is a Cluster provider-linode accepts; the mistakes below
// are variations of it.
const validCluster = `apiVersion: lke.linode.upbound.io/v1alpha1
kind: Cluster
metadata:
  name: ok
spec:
  forProvider:
    label: ok
    region: us-ord
    k8sVersion: "1.36"
    pool:
      - type: g6-standard-2
        count: 3
        autoscaler: [{min: 1, max: 3}]
`

// TestValidatorAccepts is the control for TestValidatorRejects: without it
// a validator that rejects everything would pass.
func TestValidatorAccepts(t *testing.T) {
	if out, err := runValidate(t, []byte(validCluster)); err != nil {
		t.Errorf("crossplane resource validate rejected a valid Cluster: %v\n%s", err, out)
	}
}

// TestValidatorRejects proves the validation above catches real mistakes,
// from each of its schema sources, for the reason expected.
func TestValidatorRejects(t *testing.T) {
	cases := map[string]struct {
		doc  string
		want string // in the validator's output
	}{
		// provider-linode models pool[].autoscaler as a list; many examples
		// show an object.
		"ClusterAutoscalerAsObject": {
			doc:  strings.Replace(validCluster, "autoscaler: [{min: 1, max: 3}]", "autoscaler: {min: 1, max: 3}", 1),
			want: "spec.forProvider.pool[0].autoscaler in body must be of type array",
		},
		// A CEL rule of the provider CRD.
		"ClusterWithoutLabel": {
			doc:  strings.Replace(validCluster, "    label: ok\n", "", 1),
			want: "spec.forProvider.label is a required parameter",
		},
		"ClusterUnknownField": {
			doc:  strings.Replace(validCluster, "    label: ok\n", "    label: ok\n    colour: red\n", 1),
			want: `unknown field: "colour"`,
		},
		"ReleaseChartNameNotString": {
			doc: `apiVersion: helm.crossplane.io/v1beta1
kind: Release
metadata:
  name: bad
spec:
  forProvider:
    namespace: x
    chart: {name: 3}
`,
			want: "spec.forProvider.chart.name in body must be of type string",
		},
		"ObjectCELQueryMissing": {
			doc: `apiVersion: kubernetes.crossplane.io/v1alpha2
kind: Object
metadata:
  name: bad
spec:
  forProvider:
    manifest: {apiVersion: v1, kind: Namespace, metadata: {name: x}}
  readiness:
    policy: DeriveFromCelQuery
`,
			want: "celQuery must be set if policy is DeriveFromCelQuery",
		},
		// Crossplane's core CRDs, from the cache.
		"ClusterUsageWithoutOf": {
			doc: `apiVersion: protection.crossplane.io/v1beta1
kind: ClusterUsage
metadata:
  name: bad
spec:
  by: {apiVersion: lke.linode.upbound.io/v1alpha1, kind: NodePool, resourceRef: {name: x}}
`,
			want: "spec.of: Required value",
		},
		// This repository's XRD.
		"XRBadClusterName": {
			doc: `apiVersion: platform.fpc.dev/v1alpha1
kind: XPlatformCluster
metadata:
  name: bad
spec:
  clusterSpec:
    clusterName: Not_A_Label
    labels: {team: x}
`,
			want: "spec.clusterSpec.clusterName in body should match",
		},
		// The function's Input CRD, checked inside a Composition.
		"CompositionInputUnknownField": {
			doc: `apiVersion: apiextensions.crossplane.io/v1
kind: Composition
metadata:
  name: bad
spec:
  compositeTypeRef: {apiVersion: platform.fpc.dev/v1alpha1, kind: XPlatformCluster}
  mode: Pipeline
  pipeline:
    - step: compose
      functionRef: {name: function-platform-cluster}
      input:
        apiVersion: platformcluster.fn.crossplane.io/v1beta1
        kind: Input
        gatway: {name: x}
`,
			want: `unknown field: "gatway"`,
		},
		// A resource nothing describes must not pass unchecked.
		"UnknownKind": {
			doc: `apiVersion: example.org/v1
kind: Unknown
metadata:
  name: bad
`,
			want: "could not find CRD/XRD for: example.org/v1, Kind=Unknown",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			out, err := runValidate(t, []byte(tc.doc))
			if err == nil {
				t.Fatalf("crossplane resource validate accepted an invalid resource:\n%s", out)
			}
			if !strings.Contains(out, tc.want) {
				t.Errorf("crossplane resource validate failed, but without %q:\n%s", tc.want, out)
			}
		})
	}
}

// TestExamplesValidate checks the example claims and XRs against the XRD
// schema, and the Composition and install manifests against Crossplane's
// and the providers' CRDs, so the documented API and the examples cannot
// drift apart. Core Kubernetes kinds (Namespace, Secret, ConfigMap, RBAC)
// have no CRD to check against and are left out.
func TestExamplesValidate(t *testing.T) {
	var files []string
	for _, glob := range []string{"example/claims/*.yaml", "example/install/*.yaml", "example/render/xr*.yaml", "package/configuration/composition.yaml"} {
		m, _ := filepath.Glob(filepath.Join(root, glob))
		files = append(files, m...)
	}
	var docs [][]byte
	kinds := map[string]bool{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range documents(b) {
			if bytes.Contains(d, []byte("apiVersion: v1\n")) || bytes.Contains(d, []byte("apiVersion: rbac.authorization.k8s.io/v1\n")) {
				continue
			}
			docs = append(docs, d)
			for _, k := range []string{"PlatformCluster", "XPlatformCluster", "Composition", "Function", "Provider", "Configuration", "DeploymentRuntimeConfig", "ProviderConfig"} {
				if bytes.Contains(d, []byte("\nkind: "+k+"\n")) {
					kinds[k] = true
				}
			}
		}
	}
	if len(kinds) != 8 {
		t.Fatalf("want every example kind checked, found %v", kinds)
	}
	validate(t, "examples", bytes.Join(docs, []byte("\n---\n")))
}
