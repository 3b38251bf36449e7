package live

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"

	"github.com/platformcluster/function-platform-cluster/test/live/plane"
)

// The platform team's own registry and organisation in the plane's
// registry, what README's "Install as packages" calls xpkg.example.com/acme.
const teamRegistry = plane.RegistryHost + "/platformcluster"

// teamFunction is the Function's name in the manifests test/packages
// writes for teamRegistry: the name dependency resolution gives the
// function package (its repository as a DNS label).
const teamFunction = "platformcluster-function-platform-cluster"

var (
	providerKind      = gvk("pkg.crossplane.io", "v1", "Provider")
	configurationKind = gvk("pkg.crossplane.io", "v1", "Configuration")
	compositionKind   = gvk("apiextensions.crossplane.io", "v1", "Composition")
	crdKind           = gvk("apiextensions.k8s.io", "v1", "CustomResourceDefinition")
	// pkgRuntime acts as the External package runtime; nil until the
	// packages are installed.
	pkgRuntime *plane.PackageRuntime
)

// installAsPackages installs the PlatformCluster API the way README's
// "Install as packages" says: the packages are built for the team's
// registry and pushed there with crossplane xpkg push; the public provider
// packages come from a mirror in the same registry, reached through
// example/mirror's ImageConfigs; then example/install is applied and
// Crossplane's package manager resolves and installs everything.
func installAsPackages(t *testing.T) {
	built := buildAndPush(t, "v0.1.0", true)
	mirrorProviders(t)
	// Building the packages takes longer than a step's deadline on a cold
	// build cache: the deadline counts from here.
	ctx := ctxFor(t)

	pkgRuntime = &plane.PackageRuntime{Plane: cp, CheckoutVersion: "v0.1.0"}
	go pkgRuntime.Run(context.Background(), packageRuntimeLog(t))

	// The mirror, as an air-gapped platform team sets it up.
	secret := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/dockerconfigjson",
		"metadata":   map[string]any{"name": "registry-credentials", "namespace": "crossplane-system"},
		"stringData": map[string]any{".dockerconfigjson": string(cp.Registry.DockerConfigJSON())},
	}}
	if err := cp.Mgmt.Apply(ctx, secret); err != nil {
		t.Fatal(err)
	}
	if err := cp.Mgmt.Apply(ctx, mirrorImageConfigs(t)...); err != nil {
		t.Fatalf("example/mirror is not admitted: %v", err)
	}

	// Every install manifest is admitted as it is; the Providers one only
	// by dry run, since the Configuration's dependencies install them, and
	// 04-crossplane-rbac.yaml is applied in step 1b, after the suite shows
	// what fails without it.
	install := map[string][]*unstructured.Unstructured{}
	for _, f := range []string{"00-providers", "01-function", "02-linode-credentials", "03-configuration", "04-crossplane-rbac", "05-provider-kubernetes-rbac"} {
		install[f] = readObjects(t, filepath.Join(built, "install", f+".yaml"))
	}
	for _, f := range []string{"00-providers", "04-crossplane-rbac"} {
		if err := cp.Mgmt.DryRun(ctx, install[f]...); err != nil {
			t.Fatalf("example/install/%s.yaml is not admitted: %v", f, err)
		}
	}
	// 05-provider-kubernetes-rbac.yaml lets provider-kubernetes, as the
	// identity the RBAC manager gives it, delete the Objects of its volume
	// collections: without it, step 4c's teardown guards never go.
	for _, f := range []string{"01-function", "03-configuration", "05-provider-kubernetes-rbac"} {
		if err := cp.Mgmt.Apply(ctx, install[f]...); err != nil {
			t.Fatalf("example/install/%s.yaml is not admitted: %v", f, err)
		}
	}
	startProviderKubernetes(t)
	startProviderHelm(t) // helm_test.go
	waitPackagesHealthy(t)
	// The Linode ProviderConfig's kind arrives with provider-linode.
	if err := cp.Mgmt.Apply(ctx, install["02-linode-credentials"]...); err != nil {
		t.Fatalf("example/install/02-linode-credentials.yaml is not admitted: %v", err)
	}

	// Crossplane installs no objects from a function package; its Input
	// CRD is for tools (crossplane beta validate). The revision's linter
	// accepted it; the API server must admit it too.
	inputCRDs, _ := filepath.Glob(repo("package", "function", "input", "*.yaml"))
	if err := cp.Mgmt.DryRun(ctx, readObjects(t, inputCRDs...)...); err != nil {
		t.Fatalf("the function package's Input CRD is not admitted: %v", err)
	}
	waitConditions(t, time.Minute, "XRD established and offered", func() (*unstructured.Unstructured, error) {
		return cp.Mgmt.Get(ctx, xrdKind, "", "xplatformclusters.platform.fpc.dev")
	}, "Established", "Offered")
	if _, err := cp.Mgmt.Get(ctx, compositionKind, "", "xplatformclusters.platform.fpc.dev"); err != nil {
		t.Fatalf("the Configuration's Composition: %v", err)
	}
}

// startProviderKubernetes starts provider-kubernetes once its package has
// installed every CRD of its release, as its runtime would, as the
// ServiceAccount its runtime gives the active revision.
func startProviderKubernetes(t *testing.T) {
	t.Helper()
	waitProviderCRDs(t, "provider-kubernetes")
	if err := cp.StartProviderKubernetes(ctxFor(t), providerNamed(t, "provider-kubernetes")); err != nil {
		t.Fatal(err)
	}
}

// providerNamed returns the name of the installed Provider of the
// Configuration's dependency on the named provider: its runtime identity
// is its active revision's.
func providerNamed(t *testing.T, name string) string {
	t.Helper()
	var dep *dependency
	for _, d := range providerDependencies(t) {
		if strings.HasSuffix(d.source, "/"+name) {
			dep = &d
		}
	}
	if dep == nil {
		t.Fatalf("crossplane.yaml does not depend on %s", name)
	}
	ctx := ctxFor(t)
	var provider string
	eventually(t, time.Minute, name+"'s Provider", func() error {
		p, err := providerOf(ctx, *dep)
		if err != nil || p == nil {
			return fmt.Errorf("no Provider %s:%s (%v)", dep.source, dep.version, err)
		}
		provider = p.GetName()
		return nil
	})
	return provider
}

// providerOf is the installed Provider of dependency d (its package at d's
// version), or nil when there is none.
func providerOf(ctx context.Context, d dependency) (*unstructured.Unstructured, error) {
	ps, err := cp.Mgmt.List(ctx, providerKind, "", "")
	if err != nil {
		return nil, err
	}
	for i := range ps {
		if pkg, _, _ := unstructured.NestedString(ps[i].Object, "spec", "package"); pkg == d.source+":"+d.version {
			return &ps[i], nil
		}
	}
	return nil, nil
}

// waitProviderCRDs waits until a provider's package has installed every
// CRD of its release (live-binaries.sh keeps them beside the binary).
func waitProviderCRDs(t *testing.T, provider string) {
	t.Helper()
	ctx := ctxFor(t)
	files, _ := filepath.Glob(filepath.Join(cp.Binary(provider+"-crds"), "*.yaml"))
	crds := readObjects(t, files...)
	eventually(t, 3*time.Minute, provider+"'s CRDs installed by its package", func() error {
		for _, c := range crds {
			got, err := cp.Mgmt.Get(ctx, crdKind, "", c.GetName())
			if err != nil {
				return err
			}
			if plane.ConditionStatus(got, "Established") != "True" {
				return fmt.Errorf("CRD %s not established", c.GetName())
			}
		}
		return nil
	})
}

// waitPackagesHealthy waits for the Configuration, the Function and the
// three providers the Configuration depends on, each at the version it
// names, pulled through the mirror.
func waitPackagesHealthy(t *testing.T) {
	ctx := ctxFor(t)
	waitConditions(t, 3*time.Minute, "Configuration installed and healthy", func() (*unstructured.Unstructured, error) {
		return cp.Mgmt.Get(ctx, configurationKind, "", "platform-cluster")
	}, "Installed", "Healthy")
	waitConditions(t, time.Minute, "Function installed and healthy", func() (*unstructured.Unstructured, error) {
		return cp.Mgmt.Get(ctx, functionKind, "", teamFunction)
	}, "Installed", "Healthy")
	fns, err := cp.Mgmt.List(ctx, functionKind, "", "")
	if err != nil || len(fns) != 1 {
		t.Errorf("want only the Function example/install applies, got %d (%v)", len(fns), err)
	}
	for _, d := range providerDependencies(t) {
		eventually(t, 2*time.Minute, d.source+" installed by dependency resolution, from the mirror", func() error {
			p, err := providerOf(ctx, d)
			if err != nil {
				return err
			}
			if p == nil {
				return fmt.Errorf("no Provider %s:%s", d.source, d.version)
			}
			resolved, _, _ := unstructured.NestedString(p.Object, "status", "resolvedPackage")
			if resolved != d.mirror() {
				return fmt.Errorf("%s: resolved to %q, want the mirror's %s", p.GetName(), resolved, d.mirror())
			}
			for _, c := range []string{"Installed", "Healthy"} {
				if plane.ConditionStatus(p, c) != "True" {
					return fmt.Errorf("%s", plane.Describe(p))
				}
			}
			return nil
		})
	}
}

// buildAndPush runs README's build command for the team's registry and
// pushes the function package (and the Configuration package with
// configuration) as README says. It returns the build's folder.
func buildAndPush(t *testing.T, version string, configuration bool) string {
	t.Helper()
	out := filepath.Join(cp.Dir(), "packages", version)
	cmd := exec.Command("go", "run", "./test/packages", "-registry", teamRegistry, "-version", version, "-o", out, "-crossplane", crossplaneCLI(t))
	cmd.Dir = root
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go run ./test/packages: %v\n%s", err, b)
	}
	push(t, filepath.Join(out, "function.xpkg"), teamRegistry+"/function-platform-cluster:"+version)
	if configuration {
		airGapConfiguration(t, out) // charts_test.go
		push(t, filepath.Join(out, "configuration.xpkg"), teamRegistry+"/platform-cluster:"+version)
	}
	return out
}

// push is crossplane xpkg push as a user runs it after docker login, with
// the registry's CA trusted.
func push(t *testing.T, xpkg, ref string) {
	t.Helper()
	cmd := exec.Command(crossplaneCLI(t), "xpkg", "push", "-f", xpkg, ref)
	cmd.Env = append(os.Environ(), "DOCKER_CONFIG="+cp.Registry.DockerConfig, "SSL_CERT_FILE="+cp.RegistryCAPath())
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("crossplane xpkg push %s: %v\n%s", ref, err, b)
	}
}

func crossplaneCLI(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("bash", repo("test", "tools", "crossplane.sh")).Output()
	if err != nil {
		t.Fatalf("test/tools/crossplane.sh: %v", err)
	}
	return strings.TrimSpace(string(out))
}

// dependency is a provider the Configuration depends on.
type dependency struct{ source, version string }

// mirror is where the mirror serves the provider package.
func (d dependency) mirror() string { return plane.RegistryHost + "/" + d.source + ":" + d.version }

func providerDependencies(t *testing.T) []dependency {
	t.Helper()
	b, err := os.ReadFile(repo("crossplane.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var meta struct {
		Spec struct {
			DependsOn []struct{ Provider, Version string } `json:"dependsOn"`
		} `json:"spec"`
	}
	if err := yaml.Unmarshal(b, &meta); err != nil {
		t.Fatal(err)
	}
	var out []dependency
	for _, d := range meta.Spec.DependsOn {
		if d.Provider != "" {
			out = append(out, dependency{d.Provider, d.Version})
		}
	}
	if len(out) != 3 {
		t.Fatalf("crossplane.yaml: want three provider dependencies, got %v", out)
	}
	return out
}

// mirrorProviders pushes, for each provider dependency, a package built
// from that provider's real CRDs under its real name and pinned version to
// the mirror. The packages carry no controller image: the External runtime
// runs none, and the suite runs the controllers (provider-kubernetes
// itself, stand-ins for the others). provider-kubernetes' and
// provider-helm's CRDs are those of the pinned release (what
// test/tools/live-binaries.sh builds the controllers from);
// provider-linode's come from ../shared/crds, its v0.0.29.
func mirrorProviders(t *testing.T) {
	t.Helper()
	for _, d := range providerDependencies(t) {
		name := d.source[strings.LastIndex(d.source, "/")+1:]
		crds := filepath.Join(sharedCRDs(t), name)
		meta := fmt.Sprintf("apiVersion: meta.pkg.crossplane.io/v1\nkind: Provider\nmetadata:\n  name: %s\n  annotations:\n    meta.crossplane.io/source: %s\n", name, d.source)
		if name != "provider-linode" {
			crds = cp.Binary(name + "-crds")
			// Both releases' own package/crossplane.yaml declare it: their
			// managed resources are activated by policy (--activation).
			meta += "spec:\n  capabilities: [SafeStart]\n"
		}
		stage := filepath.Join(cp.Dir(), "packages", name)
		if n := copyFiles(t, crds, stage, nil); n == 0 {
			t.Fatalf("no CRDs for %s in %s", name, crds)
		}
		if err := os.WriteFile(filepath.Join(stage, "crossplane.yaml"), []byte(meta), 0o600); err != nil {
			t.Fatal(err)
		}
		xpkg := buildPackage(t, stage)
		push(t, xpkg, d.mirror())
	}
}

// copyFiles copies the YAML files of one folder into another, through edit
// (nil for none), and returns how many it copied.
func copyFiles(t *testing.T, from, to string, edit func(name string, b []byte) []byte) int {
	t.Helper()
	if err := os.MkdirAll(to, 0o700); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(from, "*.yaml"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if edit != nil {
			b = edit(filepath.Base(f), b)
		}
		if err := os.WriteFile(filepath.Join(to, filepath.Base(f)), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return len(files)
}

// buildPackage is crossplane xpkg build of a package root; it returns the
// package file.
func buildPackage(t *testing.T, root string) string {
	t.Helper()
	xpkg := root + ".xpkg"
	if b, err := exec.Command(crossplaneCLI(t), "xpkg", "build", "--package-root="+root, "-o", xpkg).CombinedOutput(); err != nil {
		t.Fatalf("crossplane xpkg build %s: %v\n%s", root, err, b)
	}
	return xpkg
}

// mirrorImageConfigs are example/mirror's ImageConfigs for the plane's
// registry.
func mirrorImageConfigs(t *testing.T) []*unstructured.Unstructured {
	t.Helper()
	b, err := os.ReadFile(repo("example", "mirror", "imageconfigs.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	objs, err := plane.DecodeObjects([]byte(strings.ReplaceAll(string(b), "registry.example.com", plane.RegistryHost)))
	if err != nil {
		t.Fatal(err)
	}
	return objs
}

func packageRuntimeLog(t *testing.T) func(string, ...any) {
	f, err := os.Create(filepath.Join(cp.Logs(), "package-runtime.log"))
	if err != nil {
		t.Fatal(err)
	}
	return func(format string, args ...any) {
		fmt.Fprintf(f, time.Now().Format("15:04:05.000 ")+format+"\n", args...)
	}
}
