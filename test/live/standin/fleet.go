package standin

import (
	"sync"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// claimNameLabel is the label Crossplane puts on what it composes for a
// claim.
const claimNameLabel = "crossplane.io/claim-name"

// Fleet is where the LKE clusters of further claims live (TestMeasure): each
// a cluster of its own (plane.AddCluster) in a Linode account of its own.
// An LKE Cluster whose claim the Fleet does not know gets the Linode
// stand-in's own kubeconfig, endpoint and account.
type Fleet struct {
	mu      sync.Mutex
	byClaim map[string]Member
}

// Member is one claim's cluster at Linode.
type Member struct {
	Kubeconfig []byte
	Endpoint   string
	Account    *Account
}

// Add gives the LKE Cluster of a claim (by name) its own cluster.
func (f *Fleet) Add(claim string, m Member) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.byClaim == nil {
		f.byClaim = map[string]Member{}
	}
	f.byClaim[claim] = m
}

// of is the member an LKE Cluster belongs to, by its claim's name.
func (f *Fleet) of(u *unstructured.Unstructured) (Member, bool) {
	if f == nil {
		return Member{}, false
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	m, ok := f.byClaim[u.GetLabels()[claimNameLabel]]
	return m, ok
}
