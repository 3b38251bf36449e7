// Package xpkg builds the function and configuration packages with the real
// crossplane xpkg build and checks what they hold.
package xpkg

import (
	"archive/tar"
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"sigs.k8s.io/yaml"

	"github.com/platformcluster/function-platform-cluster/test/internal/fnserver"
)

func crossplane(t *testing.T) string {
	t.Helper()
	root, err := fnserver.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("bash", filepath.Join(root, "test", "tools", "crossplane.sh")).Output()
	if err != nil {
		t.Fatalf("cannot build the crossplane CLI: %v", err)
	}
	return strings.TrimSpace(string(out))
}

// packageYAML returns the kinds and names in an xpkg's package.yaml: the
// layer annotated io.crossplane.xpkg: base holds it; it is simplest to scan
// every layer for it.
func packageYAML(t *testing.T, xpkg string) []string {
	t.Helper()
	img, err := tarball.ImageFromPath(xpkg, nil)
	if err != nil {
		t.Fatalf("cannot open %s: %v", xpkg, err)
	}
	layers, err := img.Layers()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range layers {
		rc, err := l.Uncompressed()
		if err != nil {
			t.Fatal(err)
		}
		tr := tar.NewReader(rc)
		for {
			h, err := tr.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			if h.Name != "package.yaml" {
				continue
			}
			b, err := io.ReadAll(tr)
			if err != nil {
				t.Fatal(err)
			}
			_ = rc.Close()
			return objects(t, b)
		}
		_ = rc.Close()
	}
	t.Fatalf("%s has no package.yaml", xpkg)
	return nil
}

func objects(t *testing.T, stream []byte) []string {
	t.Helper()
	var out []string
	for _, d := range bytes.Split(stream, []byte("\n---")) {
		obj := map[string]any{}
		if err := yaml.Unmarshal(d, &obj); err != nil {
			t.Fatalf("package.yaml does not parse: %v", err)
		}
		if len(obj) == 0 {
			continue
		}
		md, _ := obj["metadata"].(map[string]any)
		out = append(out, obj["apiVersion"].(string)+" "+obj["kind"].(string)+" "+md["name"].(string))
	}
	sort.Strings(out)
	return out
}

func TestFunctionPackage(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the image and the package")
	}
	xp := crossplane(t)
	root, _ := fnserver.RepoRoot()
	dir := t.TempDir()
	image := filepath.Join(dir, "function.tar")
	run(t, root, "go", "run", "./test/image", "-o", image)
	xpkg := filepath.Join(dir, "function.xpkg")
	run(t, root, xp, "xpkg", "build", "--package-root=package/function", "--embed-runtime-image-tarball="+image, "-o", xpkg)

	got := packageYAML(t, xpkg)
	want := []string{
		"apiextensions.k8s.io/v1 CustomResourceDefinition inputs.platformcluster.fn.crossplane.io",
		"meta.pkg.crossplane.io/v1 Function function-platform-cluster",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("package.yaml holds:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// The runtime image is embedded: the package is itself runnable.
	img, err := tarball.ImageFromPath(xpkg, nil)
	if err != nil {
		t.Fatal(err)
	}
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	if len(cf.Config.Entrypoint) == 0 || cf.Config.Entrypoint[0] != "/function" {
		t.Errorf("embedded runtime entrypoint: want /function, got %v", cf.Config.Entrypoint)
	}
}

func TestConfigurationPackage(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the package")
	}
	xp := crossplane(t)
	root, _ := fnserver.RepoRoot()
	stage := t.TempDir()
	files, _ := filepath.Glob(filepath.Join(root, "package", "configuration", "*.yaml"))
	files = append(files, filepath.Join(root, "crossplane.yaml"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(stage, filepath.Base(f)), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	xpkg := filepath.Join(t.TempDir(), "configuration.xpkg")
	run(t, root, xp, "xpkg", "build", "--package-root="+stage, "-o", xpkg)

	got := packageYAML(t, xpkg)
	want := []string{
		"apiextensions.crossplane.io/v1 CompositeResourceDefinition xplatformclusters.platform.fpc.dev",
		"apiextensions.crossplane.io/v1 CompositeResourceDefinition xplatformtenants.platform.fpc.dev",
		"apiextensions.crossplane.io/v1 Composition xplatformclusters.platform.fpc.dev",
		"apiextensions.crossplane.io/v1 Composition xplatformtenants.platform.fpc.dev",
		"meta.pkg.crossplane.io/v1 Configuration platform-cluster",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("package.yaml holds:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	meta := map[string]any{}
	b, _ := os.ReadFile(filepath.Join(root, "crossplane.yaml"))
	if err := yaml.Unmarshal(b, &meta); err != nil {
		t.Fatal(err)
	}
	deps, _ := meta["spec"].(map[string]any)["dependsOn"].([]any)
	var names []string
	for _, d := range deps {
		m := d.(map[string]any)
		v, _ := m["version"].(string)
		// Providers are pinned to the release the live suite installs; the
		// function admits patch releases of its minor version, so that a
		// Function moved to one keeps the Configuration healthy.
		_, isFunction := m["function"]
		switch {
		case isFunction && v != ">=v0.1.0, <v0.2.0":
			t.Errorf("function dependency %v: want >=v0.1.0, <v0.2.0", m)
		case !isFunction && (!strings.HasPrefix(v, "v") || strings.ContainsAny(v, "<>=^~*, ")):
			t.Errorf("dependency %v is not pinned to one version", m)
		}
		for _, k := range []string{"provider", "function"} {
			if p, ok := m[k].(string); ok {
				names = append(names, p[strings.LastIndex(p, "/")+1:])
			}
		}
	}
	sort.Strings(names)
	if strings.Join(names, ",") != "function-platform-cluster,provider-helm,provider-kubernetes,provider-linode" {
		t.Errorf("dependsOn: got %v", names)
	}
}

func run(t *testing.T, dir, name string, args ...string) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
}

// TestInstallProvidersMatchDependencies: installing the providers by hand
// (example/install/00-providers.yaml) must give the versions the
// Configuration depends on.
func TestInstallProvidersMatchDependencies(t *testing.T) {
	root := filepath.Join("..", "..")
	meta := map[string]any{}
	b, err := os.ReadFile(filepath.Join(root, "crossplane.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(b, &meta); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{}
	for _, d := range meta["spec"].(map[string]any)["dependsOn"].([]any) {
		m := d.(map[string]any)
		if p, ok := m["provider"].(string); ok {
			want[p] = p + ":" + m["version"].(string)
		}
	}
	b, err = os.ReadFile(filepath.Join(root, "example", "install", "00-providers.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, doc := range strings.Split(string(b), "\n---\n") {
		p := map[string]any{}
		if err := yaml.Unmarshal([]byte(doc), &p); err != nil {
			t.Fatal(err)
		}
		pkg, _ := p["spec"].(map[string]any)["package"].(string)
		got[pkg[:strings.LastIndex(pkg, ":")]] = pkg
	}
	if len(got) != len(want) {
		t.Errorf("00-providers.yaml installs %v, crossplane.yaml depends on %v", got, want)
	}
	for p, w := range want {
		if got[p] != w {
			t.Errorf("00-providers.yaml installs %q, crossplane.yaml depends on %q", got[p], w)
		}
	}
}
