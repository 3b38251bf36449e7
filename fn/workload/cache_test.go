package workload

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/platformcluster/function-platform-cluster/fn/score"
)

func shopSpec(image string) []score.Workload {
	return []score.Workload{{Name: "shop", Source: "test", Spec: map[string]any{
		"apiVersion": "score.dev/v1b1",
		"metadata":   map[string]any{"name": "shop"},
		"containers": map[string]any{"main": map[string]any{"image": image}},
	}}}
}

func TestCacheMatchesConvert(t *testing.T) {
	c := NewCache(DefaultCacheBytes)
	opts := score.Options{GatewayName: "gw", GatewayNamespace: "gw"}
	for _, image := range []string{"nginx:1", "nginx:2", "nginx:1"} {
		want := score.Convert(shopSpec(image), opts)
		got := c.Convert(shopSpec(image), opts)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: cached conversion differs: -want, +got:\n%s", image, diff)
		}
	}
	if len(c.items) != 2 {
		t.Errorf("want two cached conversions (nginx:1 reused), got %d", len(c.items))
	}
}

// TestCacheIsBoundedByBytes: the budget holds whatever the entries' sizes,
// the most recently used stay, and a budget of 0 keeps nothing.
func TestCacheIsBoundedByBytes(t *testing.T) {
	probe := NewCache(DefaultCacheBytes)
	probe.Convert(shopSpec("nginx:0"), score.Options{})
	one := probe.used
	if one <= 0 {
		t.Fatalf("an entry must cost its bytes, got %d", one)
	}
	c := NewCache(3*one + one/2)
	for i := range 10 {
		c.Convert(shopSpec(fmt.Sprintf("nginx:%d", i)), score.Options{})
	}
	if len(c.items) != 3 || c.order.Len() != 3 || c.used > c.max {
		t.Errorf("cache holds %d items (%d in order, %d of %d bytes); want 3 within the budget", len(c.items), c.order.Len(), c.used, c.max)
	}
	c.Convert(shopSpec("nginx:7"), score.Options{}) // used again: most recent
	c.Convert(shopSpec("nginx:10"), score.Options{})
	for _, img := range []string{"nginx:7", "nginx:9", "nginx:10"} {
		raw, _ := json.Marshal(struct {
			W []score.Workload
			O score.Options
		}{shopSpec(img), score.Options{}})
		if _, ok := c.items[sha256.Sum256(raw)]; !ok {
			t.Errorf("%s: want it kept (recently used), it was dropped", img)
		}
	}
	none := NewCache(0)
	none.Convert(shopSpec("nginx:1"), score.Options{})
	if len(none.items) != 0 {
		t.Errorf("a budget of 0 must keep nothing, kept %d", len(none.items))
	}
	small := NewCache(one / 2)
	small.Convert(shopSpec("nginx:1"), score.Options{})
	if len(small.items) != 0 || small.used != 0 {
		t.Errorf("an entry larger than the budget must not be kept, kept %d (%d bytes)", len(small.items), small.used)
	}
}

func TestCacheConcurrent(t *testing.T) {
	c := NewCache(DefaultCacheBytes)
	want := score.Convert(shopSpec("nginx:1"), score.Options{})
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 50 {
				img := fmt.Sprintf("nginx:%d", (i+j)%5)
				got := c.Convert(shopSpec(img), score.Options{})
				if img == "nginx:1" && !cmp.Equal(want, got) {
					t.Error("concurrent conversion differs")
				}
			}
		}()
	}
	wg.Wait()
}
