package live

import (
	"context"
	"fmt"
	"sync"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/watch"
)

// deletions records, for every composed resource of an XR, the
// resourceVersion at which the API server deleted it, from watch events:
// the order of deletions, not the order in which polls noticed them.
type deletions struct {
	mu sync.Mutex
	rv map[string]string
}

// watchDeletions starts watching every composed kind of xr. It returns once
// every watch is established, so no deletion after it is missed; the
// watches end with ctx.
func watchDeletions(t *testing.T, ctx context.Context, xr string) *deletions {
	t.Helper()
	d := &deletions{rv: map[string]string{}}
	for _, k := range composedKinds {
		r, err := cp.Mgmt.Resource(k, "")
		if err != nil {
			t.Fatal(err)
		}
		w, err := r.Watch(ctx, metav1.ListOptions{LabelSelector: "crossplane.io/composite=" + xr})
		if err != nil {
			t.Fatalf("watch %s: %v", k.Kind, err)
		}
		go func() {
			defer w.Stop()
			for ev := range w.ResultChan() {
				if u, ok := ev.Object.(*unstructured.Unstructured); ok && ev.Type == watch.Deleted {
					d.mu.Lock()
					d.rv[keys.Of(k, u.GetName())] = u.GetResourceVersion()
					d.mu.Unlock()
				}
			}
		}()
	}
	return d
}

// seen is a copy of what was deleted so far, by key.
func (d *deletions) seen() map[string]string {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := make(map[string]string, len(d.rv))
	for k, v := range d.rv {
		out[k] = v
	}
	return out
}

// missing lists keys whose deletion was not seen.
func (d *deletions) missing(keys []string) error {
	seen := d.seen()
	var out []string
	for _, k := range keys {
		if _, ok := seen[k]; !ok {
			out = append(out, k)
		}
	}
	if len(out) > 0 {
		return fmt.Errorf("no deletion event for %v", out)
	}
	return nil
}
