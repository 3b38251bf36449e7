package workload

import (
	"container/list"
	"crypto/sha256"
	"encoding/json"
	"sync"

	"github.com/platformcluster/function-platform-cluster/fn/score"
)

// cacheSize bounds the conversions kept: one entry per distinct set of
// workload specs, so a few hundred claims with unchanged specs convert once.
const cacheSize = 256

// Cache converts Score workloads, remembering recent results. Crossplane
// calls the function on every reconcile with the same specs, and conversion
// is pure and deterministic, so a result can be reused for identical input;
// it was half the cost of a call for a claim with ten workloads.
type Cache struct {
	mu    sync.Mutex
	order *list.List // of [32]byte, most recent first
	items map[[32]byte]*entry
}

type entry struct {
	out  score.Output
	elem *list.Element
}

// NewCache returns an empty Cache.
func NewCache() *Cache {
	return &Cache{order: list.New(), items: map[[32]byte]*entry{}}
}

// Convert returns score.Convert(ws, opts). The result is shared between
// callers and must not be modified.
func (c *Cache) Convert(ws []score.Workload, opts score.Options) score.Output {
	raw, err := json.Marshal(struct {
		W []score.Workload
		O score.Options
	}{ws, opts})
	if err != nil {
		// Not representable as JSON, so not worth caching; convert directly.
		return score.Convert(ws, opts)
	}
	key := sha256.Sum256(raw)
	c.mu.Lock()
	if e, ok := c.items[key]; ok {
		c.order.MoveToFront(e.elem)
		c.mu.Unlock()
		return e.out
	}
	c.mu.Unlock()

	out := score.Convert(ws, opts)

	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.items[key]; !ok {
		c.items[key] = &entry{out: out, elem: c.order.PushFront(key)}
		if c.order.Len() > cacheSize {
			oldest := c.order.Remove(c.order.Back()).([32]byte)
			delete(c.items, oldest)
		}
	}
	return out
}
