package dryrun

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/platformcluster/function-platform-cluster/fn/gatewayapi"
	"github.com/platformcluster/function-platform-cluster/test/helmcharts"
	"github.com/platformcluster/function-platform-cluster/test/live/plane"
)

// object is one distinct object a release installs, with every claim and
// release that installs it.
type object struct {
	u     *unstructured.Unstructured
	owner []string
}

// TestChartObjectsAdmitted server-side applies, as a dry run, every object
// of every Release the example and test claims compose, rendered with its
// real chart and the function's exact values (test hooks excepted: Helm
// creates those only on `helm test`). First, as on a new cluster with the
// function's add-ons: the Gateway API CRDs the installer Job applies, each
// release's namespace (provider-helm's --create-namespace) and the CRDs the
// charts bring (NGINX Gateway Fabric's crds/, cert-manager's templates) are
// created for real.
func TestChartObjectsAdmitted(t *testing.T) {
	requireAPIServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	k := api.Workload
	// The Gateway API CRDs establish while the charts render.
	gwDone := make(chan error, 1)
	go func() {
		var gw []*unstructured.Unstructured
		for _, c := range gatewayapi.CRDs() {
			gw = append(gw, &unstructured.Unstructured{Object: c.Manifest})
		}
		gwDone <- plane.InstallCRDs(ctx, k, gw...)
	}()
	t0 := time.Now()
	rendered, err := helmcharts.RenderAll()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d Releases rendered in %s", len(rendered), time.Since(t0).Round(100*time.Millisecond))
	if err := <-gwDone; err != nil {
		t.Fatalf("Gateway API %s CRDs: %v", gatewayapi.Version, err)
	}
	t1 := time.Now()
	crds, objs, namespaces, hooks := split(t, rendered)
	for _, ns := range namespaces {
		o := &unstructured.Unstructured{Object: map[string]any{"apiVersion": "v1", "kind": "Namespace", "metadata": map[string]any{"name": ns}}}
		if err := k.Apply(ctx, o); err != nil {
			t.Fatalf("namespace %s: %v", ns, err)
		}
	}
	if err := installCRDs(ctx, k, crds); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d namespaces and %d chart CRDs ready %s after rendering (%d Gateway API CRDs)", len(namespaces), len(crds), time.Since(t1).Round(100*time.Millisecond), len(gatewayapi.CRDs()))
	t1 = time.Now()
	for _, e := range dryRun(ctx, k, objs) {
		t.Error(e)
	}
	t.Logf("%d distinct objects of %d Releases dry-run in %s (%d test-hook objects in the renders left out)", len(objs), len(rendered), time.Since(t1).Round(100*time.Millisecond), hooks)
}

// split sorts the rendered objects into CRDs and the rest, each distinct
// object once, and lists the releases' namespaces. A namespaced object
// without a namespace goes to its release's, as Helm installs it; that
// needs the object's scope, so it is decided in dryRun.
func split(t *testing.T, rendered []helmcharts.Rendered) (crds, objs []*object, namespaces []string, hooks int) {
	t.Helper()
	seen := map[string]*object{}
	nss := map[string]bool{}
	for _, r := range rendered {
		if r.Err != nil {
			t.Fatalf("%s: %v", r.Claim, r.Err)
		}
		owner := r.Claim + ": " + r.Release.String()
		nss[r.Release.Namespace] = true
		for _, o := range r.Objects {
			u := &unstructured.Unstructured{Object: o}
			if testHook(u) {
				hooks++
				continue
			}
			b, err := json.Marshal(o)
			if err != nil {
				t.Fatal(err)
			}
			key := r.Release.Namespace + "\x00" + string(b)
			if d, ok := seen[key]; ok {
				d.owner = append(d.owner, owner)
				continue
			}
			d := &object{u: u.DeepCopy(), owner: []string{owner}}
			if u.GetNamespace() == "" {
				d.u.SetNamespace(r.Release.Namespace)
			}
			seen[key] = d
			if u.GetKind() == "CustomResourceDefinition" {
				crds = append(crds, d)
			} else {
				objs = append(objs, d)
			}
		}
	}
	for ns := range nss {
		namespaces = append(namespaces, ns)
	}
	sort.Strings(namespaces)
	return crds, objs, namespaces, hooks
}

// installCRDs creates the charts' CRDs, all at once, and waits until each
// is established; an error names the releases that bring a refused CRD.
func installCRDs(ctx context.Context, k *plane.Kube, crds []*object) error {
	us := make([]*unstructured.Unstructured, 0, len(crds))
	for _, c := range crds {
		us = append(us, c.u)
	}
	err := plane.InstallCRDs(ctx, k, us...)
	if err == nil {
		return nil
	}
	for _, c := range crds {
		if strings.Contains(err.Error(), c.u.GetName()) {
			err = fmt.Errorf("%w (CRD %s from %s)", err, c.u.GetName(), strings.Join(c.owner, "; "))
		}
	}
	return err
}

// testHook says whether Helm creates the object only on `helm test`.
func testHook(u *unstructured.Unstructured) bool {
	for _, h := range strings.Split(u.GetAnnotations()["helm.sh/hook"], ",") {
		if strings.HasPrefix(strings.TrimSpace(h), "test") {
			return true
		}
	}
	return false
}

// dryRun submits every object a few at a time and returns one error per
// object the API server refuses, naming the releases that install it.
func dryRun(ctx context.Context, k *plane.Kube, objs []*object) []string {
	var (
		mu   sync.Mutex
		errs []string
		wg   sync.WaitGroup
		next = make(chan *object)
	)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for o := range next {
				if err := admit(ctx, k, o.u); err != nil {
					mu.Lock()
					errs = append(errs, fmt.Sprintf("%s: %v", strings.Join(o.owner, "; "), err))
					mu.Unlock()
				}
			}
		}()
	}
	for _, o := range objs {
		next <- o
	}
	close(next)
	wg.Wait()
	sort.Strings(errs)
	return errs
}

// admit dry-runs one object; a cluster-scoped kind's object is sent
// without the release namespace split gave it.
func admit(ctx context.Context, k *plane.Kube, u *unstructured.Unstructured) error {
	namespaced, err := k.Namespaced(u.GroupVersionKind())
	if err != nil {
		return fmt.Errorf("%s %s: %w", u.GetKind(), u.GetName(), err)
	}
	if !namespaced {
		u = u.DeepCopy()
		u.SetNamespace("")
	}
	return k.DryRun(ctx, u)
}
