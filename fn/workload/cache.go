package workload

import (
	"container/list"
	"crypto/sha256"
	"encoding/json"
	"sync"

	"github.com/platformcluster/function-platform-cluster/fn/score"
)

// DefaultCacheBytes is the default budget of a Cache: 64 MiB of
// conversions, counted as JSON. The example claim's two workloads cost
// 10.7 KB, so the default keeps about 6,000 such claims; a claim with 20
// workloads of every resource type (fntest.Mixed) costs 123 KB, about 540
// of them. Resident memory is a few times the budget: Go maps and strings
// hold the same data in more bytes than its JSON.
const DefaultCacheBytes = 64 << 20

// Cache converts Score workloads, remembering recent results. Crossplane
// calls the function on every reconcile with the same specs, and conversion
// is pure and deterministic, so a result can be reused for identical input;
// it was half the cost of a call for a claim with ten workloads.
//
// It is bounded by bytes rather than entries: an entry is one claim's set
// of workloads, and claims differ a hundredfold in how much they convert
// to, so a count bounds neither memory nor how many claims fit. Past the
// budget the least recently used conversions go, and a claim whose
// conversion was dropped pays for one conversion on its next call.
type Cache struct {
	mu        sync.Mutex
	max, used int64
	order     *list.List // of [32]byte, most recent first
	items     map[[32]byte]*entry
}

type entry struct {
	out  score.Output
	size int64
	elem *list.Element
}

// NewCache returns an empty Cache that keeps conversions of at most
// maxBytes (their JSON size plus their key's); 0 keeps none.
func NewCache(maxBytes int64) *Cache {
	return &Cache{max: maxBytes, order: list.New(), items: map[[32]byte]*entry{}}
}

// Convert returns score.Convert(ws, opts). The result is shared between
// callers and must not be modified.
func (c *Cache) Convert(ws []score.Workload, opts score.Options) score.Output {
	raw, err := json.Marshal(struct {
		W []score.Workload
		O score.Options
	}{ws, opts})
	if err != nil || c.max <= 0 {
		// Not representable as JSON, or no cache: convert directly.
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
	size := int64(len(raw))
	if b, err := json.Marshal(out); err == nil {
		size += int64(len(b))
	}
	c.add(key, out, size)
	return out
}

// add keeps out unless it alone exceeds the budget, then drops the least
// recently used conversions until the budget holds.
func (c *Cache) add(key [32]byte, out score.Output, size int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.items[key]; ok || size > c.max {
		return
	}
	c.items[key] = &entry{out: out, size: size, elem: c.order.PushFront(key)}
	c.used += size
	for c.used > c.max {
		oldest := c.order.Remove(c.order.Back()).([32]byte)
		c.used -= c.items[oldest].size
		delete(c.items, oldest)
	}
}
