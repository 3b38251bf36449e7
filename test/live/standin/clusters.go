package standin

import (
	"sync"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/platformcluster/function-platform-cluster/test/live/plane"
)

// Clusters gives claims a new cluster of their own: an LKE Cluster of a
// claim in it publishes that cluster's kubeconfig, and a Release of it
// prepares that cluster, instead of the plane's workload API server.
// TestMeasure uses it for every claim after the first, since claims that
// share a cluster fight over their cluster-scoped objects. A nil Clusters
// holds none.
type Clusters struct {
	mu      sync.Mutex
	byClaim map[string]Workload
}

// Workload is one new cluster's API server.
type Workload struct {
	Kube       *plane.Kube
	Kubeconfig []byte
}

// Set gives the claim named claim its own cluster.
func (c *Clusters) Set(claim string, w Workload) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.byClaim == nil {
		c.byClaim = map[string]Workload{}
	}
	c.byClaim[claim] = w
}

// of returns the cluster of the claim u was composed for, if it has one.
func (c *Clusters) of(u *unstructured.Unstructured) (Workload, bool) {
	if c == nil {
		return Workload{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	w, ok := c.byClaim[u.GetLabels()["crossplane.io/claim-name"]]
	return w, ok
}
