package live

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/platformcluster/function-platform-cluster/test/live/plane"
)

// packageDayTwo publishes v0.1.1 and moves the Function to it, then makes
// the two mistakes a platform team makes with packages: a reference to a
// tag that was never pushed, and a Configuration whose dependency cannot be
// met. Each shows the package manager's message; nothing installed goes.
func packageDayTwo(t *testing.T) {
	built := buildAndPush(t, "v0.1.1", true)
	t.Run("function-upgrade", func(t *testing.T) { functionUpgrade(t, built) })
	t.Run("missing-tag", func(t *testing.T) { missingTag(t, built) })
	t.Run("unmet-dependency", func(t *testing.T) { unmetDependency(t, built) })
}

// functionUpgrade applies the rebuilt install manifest naming v0.1.1: the
// new revision serves every claim, and the old one is deactivated.
func functionUpgrade(t *testing.T, built string) {
	ctx := ctxFor(t)
	if err := cp.Mgmt.Apply(ctx, readObjects(t, filepath.Join(built, "install", "01-function.yaml"))...); err != nil {
		t.Fatal(err)
	}
	eventually(t, 2*time.Minute, "v0.1.1's revision active and healthy, every other inactive, v0.1.0's server stopped", func() error {
		if _, err := activeFunctionRevision(ctx, "v0.1.1"); err != nil {
			return err
		}
		if pkgRuntime.Serving("v0.1.0") {
			return fmt.Errorf("v0.1.0's server still runs")
		}
		f, err := cp.Mgmt.Get(ctx, functionKind, "", teamFunction)
		if err != nil {
			return err
		}
		if plane.ConditionStatus(f, "Healthy") != "True" {
			return fmt.Errorf("%s", plane.Describe(f))
		}
		return nil
	})
	xr, err := xrName(ctx)
	if err != nil {
		t.Fatal(err)
	}
	editClaim(t, func(spec map[string]any) {
		pools := spec["clusterSpec"].(map[string]any)["nodePools"].([]any)
		pools[0].(map[string]any)["count"] = int64(5)
	})
	waitPoolCount(t, xr, 5, "the claim composed by v0.1.1: pool count follows")
	// The visible change: v0.1.1 says which release it is, and it is the
	// one composing the claim.
	log, err := os.ReadFile(filepath.Join(cp.Logs(), "function-v0.1.1.log"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(log), "v0.1.1") || !strings.Contains(string(log), xr) {
		t.Errorf("function-v0.1.1.log names neither its release nor the XR %s:\n%s", xr, tail(log, 20))
	}
	waitConditions(t, time.Minute, "Configuration healthy with the Function at v0.1.1", func() (*unstructured.Unstructured, error) {
		return cp.Mgmt.Get(ctx, configurationKind, "", "platform-cluster")
	}, "Healthy")
	waitConditions(t, 3*time.Minute, "claim Ready", func() (*unstructured.Unstructured, error) { return claim(ctx) }, "Ready")
}

// missingTag moves the Function to a tag never pushed: the Function reports
// it, and v0.1.1 keeps serving.
func missingTag(t *testing.T, built string) {
	ctx := ctxFor(t)
	before, err := activeFunctionRevision(ctx, "v0.1.1")
	if err != nil {
		t.Fatal(err)
	}
	fn := readObjects(t, filepath.Join(built, "install", "01-function.yaml"))
	for _, o := range fn {
		if o.GetKind() == "Function" {
			_ = unstructured.SetNestedField(o.Object, teamRegistry+"/function-platform-cluster:v0.1.9", "spec", "package")
		}
	}
	if err := cp.Mgmt.Apply(ctx, fn...); err != nil {
		t.Fatal(err)
	}
	msg := waitUnhealthy(t, functionKind, teamFunction, "v0.1.9")
	t.Logf("what the user sees: Function "+teamFunction+" Healthy=False: %s", msg)
	if now, err := activeFunctionRevision(ctx, "v0.1.1"); err != nil || now.GetName() != before.GetName() {
		t.Errorf("the active revision changed: %v (%v)", now, err)
	}
	if !pkgRuntime.Serving("v0.1.1") {
		t.Error("v0.1.1's server stopped")
	}
	assertClaimStaysReady(t)
	if err := cp.Mgmt.Apply(ctx, readObjects(t, filepath.Join(built, "install", "01-function.yaml"))...); err != nil {
		t.Fatal(err)
	}
	waitConditions(t, 2*time.Minute, "Function healthy at v0.1.1 again", func() (*unstructured.Unstructured, error) {
		return cp.Mgmt.Get(ctx, functionKind, "", teamFunction)
	}, "Healthy")
}

// unmetDependency moves the Configuration to a release that depends on a
// provider-helm version that does not exist: the Configuration reports
// it, and the API, the providers and the claim stay.
func unmetDependency(t *testing.T, built string) {
	ctx := ctxFor(t)
	stage := filepath.Join(cp.Dir(), "packages", "unmet")
	broken := false
	copyFiles(t, filepath.Join(built, "configuration"), stage, func(name string, b []byte) []byte {
		if name != "crossplane.yaml" {
			return b
		}
		s := strings.Replace(string(b), "provider-helm\n      version: \"v1.3.0\"", "provider-helm\n      version: \"v1.99.0\"", 1)
		broken = s != string(b)
		return []byte(s)
	})
	if !broken {
		t.Fatal("crossplane.yaml: no provider-helm v1.3.0 dependency to break")
	}
	xpkg := buildPackage(t, stage)
	push(t, xpkg, teamRegistry+"/platform-cluster:v0.1.2")

	xr, err := xrName(ctx)
	if err != nil {
		t.Fatal(err)
	}
	before, err := snapshot(ctx, xr)
	if err != nil {
		t.Fatal(err)
	}
	cfg := readObjects(t, filepath.Join(built, "install", "03-configuration.yaml"))
	_ = unstructured.SetNestedField(cfg[0].Object, teamRegistry+"/platform-cluster:v0.1.2", "spec", "package")
	if err := cp.Mgmt.Apply(ctx, cfg...); err != nil {
		t.Fatal(err)
	}
	msg := waitUnhealthy(t, configurationKind, "platform-cluster", "provider-helm")
	t.Logf("what the user sees: Configuration platform-cluster Healthy=False: %s", msg)
	waitConditions(t, time.Minute, "XRD still established and offered", func() (*unstructured.Unstructured, error) {
		return cp.Mgmt.Get(ctx, xrdKind, "", "xplatformclusters.platform.fpc.dev")
	}, "Established", "Offered")
	if _, err := cp.Mgmt.Get(ctx, compositionKind, "", "xplatformclusters.platform.fpc.dev"); err != nil {
		t.Errorf("the Composition went: %v", err)
	}
	for _, d := range providerDependencies(t) {
		if !providerInstalled(t, d) {
			t.Errorf("Provider %s:%s went", d.source, d.version)
		}
	}
	assertClaimStaysReady(t)
	assertStillComposed(t, xr, before)
	if err := cp.Mgmt.Apply(ctx, readObjects(t, filepath.Join(built, "install", "03-configuration.yaml"))...); err != nil {
		t.Fatal(err)
	}
	waitConditions(t, 3*time.Minute, "Configuration healthy at v0.1.1", func() (*unstructured.Unstructured, error) {
		return cp.Mgmt.Get(ctx, configurationKind, "", "platform-cluster")
	}, "Installed", "Healthy")
}

// waitPoolCount waits until the LKE Cluster's first pool has n nodes.
func waitPoolCount(t *testing.T, xr string, n int, what string) {
	t.Helper()
	ctx := ctxFor(t)
	eventually(t, 3*time.Minute, what, func() error {
		c, err := cp.Mgmt.Get(ctx, lkeCluster, "", xr+"-cluster")
		if err != nil {
			return err
		}
		pools, _, _ := unstructured.NestedSlice(c.Object, "spec", "forProvider", "pool")
		if len(pools) == 0 || fmt.Sprint(pools[0].(map[string]any)["count"]) != fmt.Sprint(n) {
			return fmt.Errorf("pool %v", pools)
		}
		return nil
	})
}

// activeFunctionRevision is the one active FunctionRevision, which must
// install version and be healthy (revision and runtime); every other must
// be inactive.
func activeFunctionRevision(ctx context.Context, version string) (*unstructured.Unstructured, error) {
	revs, err := cp.Mgmt.List(ctx, fnRevisionKind, "", "pkg.crossplane.io/package="+teamFunction)
	if err != nil {
		return nil, err
	}
	var active *unstructured.Unstructured
	for i := range revs {
		state, _, _ := unstructured.NestedString(revs[i].Object, "spec", "desiredState")
		image, _, _ := unstructured.NestedString(revs[i].Object, "spec", "image")
		switch {
		case state != "Active":
		case active != nil:
			return nil, fmt.Errorf("two active revisions: %s and %s", active.GetName(), revs[i].GetName())
		case !strings.HasSuffix(image, ":"+version):
			return nil, fmt.Errorf("the active revision %s installs %s", revs[i].GetName(), image)
		case plane.ConditionStatus(&revs[i], "RevisionHealthy") != "True" || plane.ConditionStatus(&revs[i], "RuntimeHealthy") != "True":
			return nil, fmt.Errorf("%s; the lock holds %s", plane.Describe(&revs[i]), lockPackages(ctx))
		default:
			active = &revs[i]
		}
	}
	if active == nil {
		return nil, fmt.Errorf("no active revision among %d", len(revs))
	}
	return active, nil
}

// lockPackages lists Crossplane's package lock, for failure messages.
func lockPackages(ctx context.Context) string {
	l, err := cp.Mgmt.Get(ctx, gvk("pkg.crossplane.io", "v1beta1", "Lock"), "", "lock")
	if err != nil {
		return err.Error()
	}
	pkgs, _, _ := unstructured.NestedSlice(l.Object, "packages")
	var out []string
	for _, p := range pkgs {
		m, _ := p.(map[string]any)
		out = append(out, fmt.Sprintf("%v %v@%v", m["name"], m["source"], m["version"]))
	}
	return strings.Join(out, ", ")
}

// waitUnhealthy waits for a package's Healthy condition to turn False with
// a message naming want, and returns the message.
func waitUnhealthy(t *testing.T, kind schema.GroupVersionKind, name, want string) string {
	t.Helper()
	ctx := ctxFor(t)
	var msg string
	eventually(t, 2*time.Minute, kind.Kind+" "+name+" reports "+want, func() error {
		p, err := cp.Mgmt.Get(ctx, kind, "", name)
		if err != nil {
			return err
		}
		c := plane.Condition(p, "Healthy")
		msg, _ = c["message"].(string)
		if c["status"] != "False" || !strings.Contains(msg, want) {
			return fmt.Errorf("%s", plane.Describe(p))
		}
		return nil
	})
	return msg
}

// assertClaimStaysReady checks, for a while, that the claim stays Ready.
func assertClaimStaysReady(t *testing.T) {
	t.Helper()
	ctx := ctxFor(t)
	for range 3 {
		c, err := claim(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if plane.ConditionStatus(c, "Ready") != "True" {
			t.Errorf("claim no longer Ready: %s", plane.Describe(c))
			return
		}
		time.Sleep(5 * time.Second)
	}
}

func providerInstalled(t *testing.T, d dependency) bool {
	t.Helper()
	p, err := providerOf(ctxFor(t), d)
	if err != nil {
		t.Fatal(err)
	}
	return p != nil && plane.ConditionStatus(p, "Healthy") == "True"
}

func tail(b []byte, n int) string {
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
