// Package standin holds minimal stand-ins, for the live suite, for what
// cannot run here: provider-linode (no Linode account), what Linode runs in
// every LKE cluster (its cloud controller and CSI driver, which keep their
// NodeBalancers and volumes in a fake Account), and the controllers of the
// charts, whose pods kwok only pretends to run (NGINX Gateway Fabric,
// cert-manager). Each does only what the function, the providers and Helm
// observe: status, connection Secrets, finalizers, and the objects those
// controllers create. README lists exactly what is simulated.
package standin

import (
	"context"
	"fmt"
	"reflect"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/platformcluster/function-platform-cluster/test/live/plane"
)

// finalizer is held on managed resources, as a provider's managed
// reconciler holds finalizer.managedresource.crossplane.io, so that
// deletion waits until the stand-in has cleaned up.
const finalizer = "finalizer.managedresource.crossplane.io"

// Logf reports what a stand-in did or failed to do.
type Logf func(format string, args ...any)

// reconcile is one pass of a stand-in over the objects of one kind.
type reconcile struct {
	kube *plane.Kube
	gvk  schema.GroupVersionKind
	fn   func(ctx context.Context, r resourceClient, u *unstructured.Unstructured) error
}

type resourceClient interface {
	Update(ctx context.Context, obj *unstructured.Unstructured, opts metav1.UpdateOptions, subresources ...string) (*unstructured.Unstructured, error)
	UpdateStatus(ctx context.Context, obj *unstructured.Unstructured, opts metav1.UpdateOptions) (*unstructured.Unstructured, error)
}

// run calls each reconcile every interval until ctx ends. A kind whose CRD
// is not installed yet is skipped; conflicts are retried on the next pass.
func run(ctx context.Context, logf Logf, interval time.Duration, rs ...reconcile) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		for _, rc := range rs {
			r, err := rc.kube.Resource(rc.gvk, "")
			if err != nil {
				if !meta.IsNoMatchError(err) {
					logf("standin: %s: %v", rc.gvk.Kind, err)
				}
				continue
			}
			l, err := r.List(ctx, metav1.ListOptions{})
			if err != nil {
				if ctx.Err() == nil && !apierrors.IsNotFound(err) {
					logf("standin: list %s: %v", rc.gvk.Kind, err)
				}
				continue
			}
			for i := range l.Items {
				u := &l.Items[i]
				nr, _ := rc.kube.Resource(rc.gvk, u.GetNamespace())
				if err := rc.fn(ctx, nr, u); err != nil && ctx.Err() == nil && !apierrors.IsConflict(err) && !apierrors.IsNotFound(err) {
					logf("standin: %s %s/%s: %v", rc.gvk.Kind, u.GetNamespace(), u.GetName(), err)
				}
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// condition is a Kubernetes condition as both Crossplane and Gateway API
// write them.
func condition(typ, reason string, generation int64) map[string]any {
	c := map[string]any{
		"type": typ, "status": "True", "reason": reason, "message": "",
		"lastTransitionTime": time.Now().UTC().Format(time.RFC3339),
	}
	if generation > 0 {
		c["observedGeneration"] = generation
	}
	return c
}

// managed is the common lifecycle of a stand-in managed resource: hold the
// finalizer while it exists, run cleanup and release it on deletion, and
// report it Ready and Synced once observe has filled in status.atProvider,
// which follows what observe sees.
func managed(observe func(u *unstructured.Unstructured) (map[string]any, error), cleanup func(u *unstructured.Unstructured) error) func(context.Context, resourceClient, *unstructured.Unstructured) error {
	return func(ctx context.Context, r resourceClient, u *unstructured.Unstructured) error {
		if u.GetDeletionTimestamp() != nil {
			if !hasFinalizer(u) {
				return nil
			}
			if cleanup != nil {
				if err := cleanup(u); err != nil {
					return err
				}
			}
			u.SetFinalizers(without(u.GetFinalizers(), finalizer))
			_, err := r.Update(ctx, u, metav1.UpdateOptions{})
			return err
		}
		if !hasFinalizer(u) {
			u.SetFinalizers(append(u.GetFinalizers(), finalizer))
			var err error
			if u, err = r.Update(ctx, u, metav1.UpdateOptions{}); err != nil {
				return err
			}
		}
		at, err := observe(u)
		if err != nil {
			return err
		}
		current, _, _ := unstructured.NestedMap(u.Object, "status", "atProvider")
		if plane.ConditionStatus(u, "Ready") == "True" && plane.ConditionStatus(u, "Synced") == "True" && reflect.DeepEqual(at, current) {
			return nil
		}
		_ = unstructured.SetNestedField(u.Object, at, "status", "atProvider")
		_ = unstructured.SetNestedSlice(u.Object, []any{
			condition("Ready", "Available", 0), condition("Synced", "ReconcileSuccess", 0),
		}, "status", "conditions")
		_, err = r.UpdateStatus(ctx, u, metav1.UpdateOptions{})
		return err
	}
}

func hasFinalizer(u *unstructured.Unstructured) bool {
	return contains(u.GetFinalizers(), finalizer)
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func without(ss []string, s string) []string {
	var out []string
	for _, x := range ss {
		if x != s {
			out = append(out, x)
		}
	}
	return out
}

func gvk(group, version, kind string) schema.GroupVersionKind {
	return schema.GroupVersionKind{Group: group, Version: version, Kind: kind}
}

func errorf(u *unstructured.Unstructured, format string, args ...any) error {
	return fmt.Errorf("%s %s: %s", u.GetKind(), u.GetName(), fmt.Sprintf(format, args...))
}
