package live

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/platformcluster/function-platform-cluster/test/live/inventory"
	"github.com/platformcluster/function-platform-cluster/test/live/plane"
)

// The kinds the suite looks at.
var (
	claimKind      = gvk("platform.fpc.dev", "v1alpha1", "PlatformCluster")
	xrKind         = gvk("platform.fpc.dev", "v1alpha1", "XPlatformCluster")
	lkeCluster     = gvk("lke.linode.upbound.io", "v1alpha1", "Cluster")
	lkeNodePool    = gvk("lke.linode.upbound.io", "v1alpha1", "NodePool")
	dnsDomain      = gvk("domain.linode.upbound.io", "v1alpha1", "Domain")
	dnsRecord      = gvk("domain.linode.upbound.io", "v1alpha1", "Record")
	release        = gvk("helm.crossplane.io", "v1beta1", "Release")
	object         = gvk("kubernetes.crossplane.io", "v1alpha2", "Object")
	helmPC         = gvk("helm.crossplane.io", "v1beta1", "ProviderConfig")
	kubernetesPC   = gvk("kubernetes.crossplane.io", "v1alpha1", "ProviderConfig")
	linodePC       = gvk("linode.upbound.io", "v1beta1", "ProviderConfig")
	clusterUsage   = gvk("protection.crossplane.io", "v1beta1", "ClusterUsage")
	secretKind     = gvk("", "v1", "Secret")
	namespaceKind  = gvk("", "v1", "Namespace")
	deploymentKind = gvk("apps", "v1", "Deployment")
	serviceKind    = gvk("", "v1", "Service")
	jobKind        = gvk("batch", "v1", "Job")
	routeKind      = gvk("gateway.networking.k8s.io", "v1", "HTTPRoute")
	gatewayKind    = gvk("gateway.networking.k8s.io", "v1", "Gateway")
	xrdKind        = gvk("apiextensions.crossplane.io", "v1", "CompositeResourceDefinition")
	functionKind   = gvk("pkg.crossplane.io", "v1", "Function")
	fnRevisionKind = gvk("pkg.crossplane.io", "v1", "FunctionRevision")
)

// composedKinds are every kind the function composes on the control plane.
var composedKinds = []schema.GroupVersionKind{lkeCluster, lkeNodePool, dnsDomain, dnsRecord, release, object, helmPC, kubernetesPC, linodePC, clusterUsage}

func gvk(group, version, kind string) schema.GroupVersionKind {
	return schema.GroupVersionKind{Group: group, Version: version, Kind: kind}
}

func ctxFor(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// eventually fails the test with check's last error after timeout.
func eventually(t *testing.T, timeout time.Duration, what string, check func() error) {
	t.Helper()
	t0 := time.Now()
	if err := plane.Eventually(context.Background(), timeout, check); err != nil {
		t.Fatalf("%s: %v (exited programs: %v)", what, err, cp.Exited())
	}
	t.Logf("%s: %s", what, time.Since(t0).Round(100*time.Millisecond))
}

// waitConditions waits until every condition type of the object get reads
// is True.
func waitConditions(t *testing.T, timeout time.Duration, what string, get func() (*unstructured.Unstructured, error), types ...string) {
	t.Helper()
	eventually(t, timeout, what, func() error {
		u, err := get()
		if err != nil {
			return err
		}
		for _, typ := range types {
			if plane.ConditionStatus(u, typ) != "True" {
				return fmt.Errorf("%s", plane.Describe(u))
			}
		}
		return nil
	})
}

func repo(path ...string) string { return filepath.Join(append([]string{root}, path...)...) }

func readObjects(t *testing.T, paths ...string) []*unstructured.Unstructured {
	t.Helper()
	objs, err := plane.ReadObjects(paths...)
	if err != nil {
		t.Fatal(err)
	}
	return objs
}

// keys name composed resources: Kind/name, with the group for the
// ProviderConfigs, whose Kind three providers share.
var keys = inventory.NewKeys(composedKinds)

// composed lists what the function composed for an XR, by key, including
// what is being deleted (see alive).
func composed(ctx context.Context, xr string) (map[string]*unstructured.Unstructured, error) {
	out := map[string]*unstructured.Unstructured{}
	for _, k := range composedKinds {
		items, err := cp.Mgmt.List(ctx, k, "", "crossplane.io/composite="+xr)
		if err != nil {
			return nil, err
		}
		for i := range items {
			out[keys.Of(k, items[i].GetName())] = &items[i]
		}
	}
	return out, nil
}

// snapshot records what is composed for an XR now: keys, UIDs, which
// desired resource each is, and whether it is being deleted.
func snapshot(ctx context.Context, xr string) (inventory.Snapshot, error) {
	got, err := composed(ctx, xr)
	if err != nil {
		return nil, err
	}
	return keys.Take(got), nil
}

// alive is an object that exists and is not being deleted: one whose
// deletionTimestamp is set is going, whatever finalizer still holds it.
func alive(o *unstructured.Unstructured) bool {
	return o != nil && o.GetDeletionTimestamp() == nil
}

// aliveOn reads an object and fails unless it is alive.
func aliveOn(ctx context.Context, k *plane.Kube, gvk schema.GroupVersionKind, ns, name string) error {
	o, err := k.Get(ctx, gvk, ns, name)
	if err != nil {
		return err
	}
	if !alive(o) {
		return fmt.Errorf("%s %s/%s is being deleted (since %s)", gvk.Kind, ns, name, o.GetDeletionTimestamp())
	}
	return nil
}

// ofKind are the composed resources of one kind, by name.
func ofKind(got map[string]*unstructured.Unstructured, kind string) []*unstructured.Unstructured {
	var out []*unstructured.Unstructured
	for _, k := range names(got) {
		if got[k].GetKind() == kind {
			out = append(out, got[k])
		}
	}
	return out
}

// composedManifests are the manifests of the composed Objects that wrap
// kind ("" for any), by the Object's name in got.
func composedManifests(got map[string]*unstructured.Unstructured, kind string) map[string]*unstructured.Unstructured {
	out := map[string]*unstructured.Unstructured{}
	for k, o := range got {
		if o.GetKind() != "Object" {
			continue
		}
		m, _, _ := unstructured.NestedMap(o.Object, "spec", "forProvider", "manifest")
		if u := (&unstructured.Unstructured{Object: m}); m != nil && (kind == "" || u.GetKind() == kind) {
			out[k] = u
		}
	}
	return out
}

func names(m map[string]*unstructured.Unstructured) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// claim reads the example claim.
func claim(ctx context.Context) (*unstructured.Unstructured, error) {
	return cp.Mgmt.Get(ctx, claimKind, "team-a", "demo")
}

// xrName is the claim's composite resource.
func xrName(ctx context.Context) (string, error) {
	c, err := claim(ctx)
	if err != nil {
		return "", err
	}
	n, _, _ := unstructured.NestedString(c.Object, "spec", "resourceRef", "name")
	if n == "" {
		return "", fmt.Errorf("claim has no resourceRef yet: %s", plane.Describe(c))
	}
	return n, nil
}

// claimEdits are the edits made to the example claim so far, which every
// later apply keeps, as commits to a claim in Git would.
var claimEdits []func(spec map[string]any)

// editClaim applies the example claim with one more lasting edit.
func editClaim(t *testing.T, edit func(spec map[string]any)) {
	t.Helper()
	claimEdits = append(claimEdits, edit)
	applyClaim(t, nil)
}

// applyClaim applies the example claim with the lasting edits and, for this
// apply only, edit (nil for none).
func applyClaim(t *testing.T, edit func(spec map[string]any)) {
	t.Helper()
	var c *unstructured.Unstructured
	for _, o := range readObjects(t, repo("example", "claims", "demo-platformcluster.yaml")) {
		if o.GetKind() == "PlatformCluster" {
			c = o
		}
	}
	if c == nil {
		t.Fatal("example/claims has no PlatformCluster")
	}
	spec, _, _ := unstructured.NestedMap(c.Object, "spec")
	for _, e := range claimEdits {
		e(spec)
	}
	if edit != nil {
		edit(spec)
	}
	_ = unstructured.SetNestedMap(c.Object, spec, "spec")
	if err := cp.Mgmt.Apply(ctxFor(t), c); err != nil {
		t.Fatal(err)
	}
}

// applyScore applies the example Score ConfigMap, edited by edit.
func applyScore(t *testing.T, edit func(score string) string) {
	t.Helper()
	for _, o := range readObjects(t, repo("example", "claims", "demo-app-score.yaml")) {
		if o.GetKind() != "ConfigMap" {
			continue
		}
		s, _, _ := unstructured.NestedString(o.Object, "data", "score.yaml")
		_ = unstructured.SetNestedField(o.Object, edit(s), "data", "score.yaml")
		if err := cp.Mgmt.Apply(ctxFor(t), o); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Fatal("example/claims has no Score ConfigMap")
}

// waitImage waits until the demo-app Deployment on the workload cluster
// runs image.
func waitImage(t *testing.T, what, image string) {
	t.Helper()
	eventually(t, 3*time.Minute, what, func() error {
		img, err := workloadImage(context.Background(), "demo-app", "demo-app")
		if err != nil {
			return err
		}
		if img != image {
			return fmt.Errorf("image %s", img)
		}
		return nil
	})
}

// workloadImage is the first container image of a Deployment on the
// workload cluster.
func workloadImage(ctx context.Context, ns, name string) (string, error) {
	d, err := cp.Workload.Get(ctx, deploymentKind, ns, name)
	if err != nil {
		return "", err
	}
	cs, _, _ := unstructured.NestedSlice(d.Object, "spec", "template", "spec", "containers")
	if len(cs) == 0 {
		return "", fmt.Errorf("deployment %s/%s has no containers", ns, name)
	}
	img, _ := cs[0].(map[string]any)["image"].(string)
	return img, nil
}
