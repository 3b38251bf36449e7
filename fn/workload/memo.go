package workload

import (
	"encoding/json"
	"sync"

	"github.com/platformcluster/function-platform-cluster/fn/score"
)

// maxMemo bounds the generator manifests kept: a few hundred claims'
// resources with secrets, some MB.
const maxMemo = 256

// memo keeps the manifests of recent generators. They are built from
// typed objects, whose conversion to JSON values costs four times the
// allocations of the manifests themselves, and every reconcile of a claim
// builds the same ones again. Like score conversions in Cache, what it
// returns is shared and must not be modified.
type memo struct {
	mu    sync.Mutex
	items map[string][]score.Manifest
}

var generatorManifests = &memo{items: map[string][]score.Manifest{}}

// manifests returns g.manifests(image), built once for the same secrets
// and image.
func (m *memo) manifests(g generator, image string) []score.Manifest {
	raw, err := json.Marshal(g.secrets)
	if err != nil {
		return g.manifests(image)
	}
	key := image + "\x00" + string(raw)
	m.mu.Lock()
	ms, ok := m.items[key]
	m.mu.Unlock()
	if ok {
		return ms
	}
	ms = g.manifests(image)
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.items) >= maxMemo {
		clear(m.items)
	}
	m.items[key] = ms
	return ms
}
