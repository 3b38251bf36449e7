package workload

import (
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
	c := NewCache()
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

func TestCacheIsBounded(t *testing.T) {
	c := NewCache()
	for i := range cacheSize + 10 {
		c.Convert(shopSpec(fmt.Sprintf("nginx:%d", i)), score.Options{})
	}
	if len(c.items) != cacheSize || c.order.Len() != cacheSize {
		t.Errorf("cache holds %d items, %d in order; want %d", len(c.items), c.order.Len(), cacheSize)
	}
}

func TestCacheConcurrent(t *testing.T) {
	c := NewCache()
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
