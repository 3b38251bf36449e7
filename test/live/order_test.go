package live

import (
	"context"
	"fmt"
	"sync"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/tools/cache"
	watchtools "k8s.io/client-go/tools/watch"
)

// deletions records, for every composed resource of an XR, the
// resourceVersion at which the API server deleted it, from watch events:
// the order of deletions, not the order in which polls noticed them.
type deletions struct {
	mu   sync.Mutex
	rv   map[string]string
	errs []string // watch errors, for a failure's message
}

// watchDeletions starts watching every composed kind of xr. It returns once
// every watch is established, so no deletion after it is missed; the
// watches end with ctx.
func watchDeletions(t *testing.T, ctx context.Context, xr string) *deletions {
	t.Helper()
	d := &deletions{rv: map[string]string{}}
	opts := metav1.ListOptions{LabelSelector: "crossplane.io/composite=" + xr}
	for _, k := range composedKinds {
		r, err := cp.Mgmt.Resource(k, "")
		if err != nil {
			t.Fatal(err)
		}
		l, err := r.List(ctx, opts)
		if err != nil {
			t.Fatalf("list %s: %v", k.Kind, err)
		}
		// A watch the API server ends is started again from the last
		// revision seen, so no deletion falls between two watches.
		w, err := watchtools.NewRetryWatcherWithContext(ctx, l.GetResourceVersion(), &cache.ListWatch{
			WatchFuncWithContext: func(ctx context.Context, o metav1.ListOptions) (watch.Interface, error) {
				o.LabelSelector = opts.LabelSelector
				return r.Watch(ctx, o)
			},
		})
		if err != nil {
			t.Fatalf("watch %s: %v", k.Kind, err)
		}
		go func() {
			defer w.Stop()
			for ev := range w.ResultChan() {
				u, ok := ev.Object.(*unstructured.Unstructured)
				d.mu.Lock()
				switch {
				case ok && ev.Type == watch.Deleted:
					d.rv[keys.Of(k, u.GetName())] = u.GetResourceVersion()
				case ev.Type == watch.Error:
					d.errs = append(d.errs, fmt.Sprintf("%s: %v", k.Kind, ev.Object))
				}
				d.mu.Unlock()
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
		d.mu.Lock()
		defer d.mu.Unlock()
		return fmt.Errorf("no deletion event for %v (watch errors: %v)", out, d.errs)
	}
	return nil
}
