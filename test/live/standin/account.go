package standin

import (
	"fmt"
	"sort"
	"sync"
	"time"
)

// Account is the fake Linode account: what the stand-ins of Linode's own
// in-cluster components (cloud.go, csi.go) create and delete there, and
// what provider-linode's stand-in does to the LKE cluster. Deleting an LKE
// cluster at Linode deletes its nodes, not the NodeBalancers and Block
// Storage volumes its components created: those stay, and bill, until
// someone deletes them. Once the cluster is gone, nothing in it can clean
// up any more. The test reads the account to see what a claim leaves.
type Account struct {
	mu            sync.Mutex
	nextID        int
	nodeBalancers map[int]*NodeBalancer
	volumes       map[string]*Volume
	cluster       ClusterRecord
}

// NodeBalancer is a Linode load balancer the cloud controller created for
// a LoadBalancer Service.
type NodeBalancer struct {
	ID      int
	IPv4    string
	Service string // namespace/name
	Created time.Time
	// Deleted is zero while the NodeBalancer exists.
	Deleted time.Time
}

// Volume is a Block Storage volume the CSI driver created for a PVC.
type Volume struct {
	ID     int
	Label  string
	SizeGB int64
	PV     string
	PVC    string // namespace/name
	Class  string
	// Tags are the volume's tags at Linode, from the StorageClass's
	// linodebs.csi.linode.com/volumeTags parameter.
	Tags []string
	// Labels are the PVC's labels.
	Labels  map[string]string
	Created time.Time
	Deleted time.Time
}

// ClusterRecord is the LKE cluster's life at Linode.
type ClusterRecord struct {
	Label            string
	Created, Deleted time.Time
}

// NewAccount is an empty account.
func NewAccount() *Account {
	return &Account{nextID: 1000, nodeBalancers: map[int]*NodeBalancer{}, volumes: map[string]*Volume{}}
}

// clusterUp records the LKE cluster created (again, after a deletion).
func (a *Account) clusterUp(label string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.cluster.Created.IsZero() || !a.cluster.Deleted.IsZero() {
		a.cluster = ClusterRecord{Label: label, Created: time.Now()}
	}
}

// clusterDown records the LKE cluster deleted: its nodes go, and with them
// the components that would have cleaned up.
func (a *Account) clusterDown() {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.cluster.Deleted.IsZero() {
		a.cluster.Deleted = time.Now()
	}
}

// clusterRunning says whether the cluster's in-cluster components run.
func (a *Account) clusterRunning() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return !a.cluster.Created.IsZero() && a.cluster.Deleted.IsZero()
}

// Cluster is the LKE cluster's record.
func (a *Account) Cluster() ClusterRecord {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.cluster
}

// ensureNodeBalancer returns the NodeBalancer of a Service, creating it
// with the next address of the documentation range (RFC 5737), from
// GatewayAddress on.
func (a *Account) ensureNodeBalancer(service string) NodeBalancer {
	a.mu.Lock()
	defer a.mu.Unlock()
	if nb := a.liveNodeBalancer(service); nb != nil {
		return *nb
	}
	a.nextID++
	nb := &NodeBalancer{ID: a.nextID, IPv4: fmt.Sprintf("192.0.2.%d", 10+len(a.nodeBalancers)), Service: service, Created: time.Now()}
	a.nodeBalancers[nb.ID] = nb
	return *nb
}

func (a *Account) deleteNodeBalancer(service string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if nb := a.liveNodeBalancer(service); nb != nil {
		nb.Deleted = time.Now()
	}
}

func (a *Account) liveNodeBalancer(service string) *NodeBalancer {
	for _, nb := range a.nodeBalancers {
		if nb.Service == service && nb.Deleted.IsZero() {
			return nb
		}
	}
	return nil
}

// createVolume records a volume for a PV, once.
func (a *Account) createVolume(v Volume) Volume {
	a.mu.Lock()
	defer a.mu.Unlock()
	if have, ok := a.volumes[v.PV]; ok {
		return *have
	}
	a.nextID++
	v.ID, v.Created = a.nextID, time.Now()
	a.volumes[v.PV] = &v
	return v
}

func (a *Account) deleteVolume(pv string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if v, ok := a.volumes[pv]; ok && v.Deleted.IsZero() {
		v.Deleted = time.Now()
	}
}

// NodeBalancers are every NodeBalancer ever created, deleted ones with
// their time of deletion, by ID.
func (a *Account) NodeBalancers() []NodeBalancer {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := make([]NodeBalancer, 0, len(a.nodeBalancers))
	for _, nb := range a.nodeBalancers {
		out = append(out, *nb)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Volumes are every volume ever created, deleted ones with their time of
// deletion, by ID.
func (a *Account) Volumes() []Volume {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := make([]Volume, 0, len(a.volumes))
	for _, v := range a.volumes {
		out = append(out, *v)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}
