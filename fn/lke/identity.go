package lke

import (
	"fmt"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/platformcluster/function-platform-cluster/fn/spec"
)

// OwnPoolAnnotation names, on the Cluster, the claim's pool that is the
// cluster's own (its inline spec.forProvider.pool). The cluster keeps that
// pool for life, wherever the pool moves in the claim's list: the Linode
// Terraform provider (v2.37.0, which provider-linode v0.0.29 is built on)
// matches inline pools by position and, when a position's type changes,
// deletes that pool and creates a new one (linode/lke/cluster.go,
// ReconcileLKENodePoolSpecs), so taking the first pool of the list would
// replace nodes whenever pools are reordered or the first one removed.
const OwnPoolAnnotation = "platform.fpc.dev/own-pool"

// Observed is what the control plane last held of the node pools.
type Observed struct {
	// Own is the name of the cluster's own pool, "" before the Cluster
	// exists or when it predates OwnPoolAnnotation.
	Own string
	// Types are the pools' instance types by pool name, as composed last.
	Types map[string]string
}

// ArrangePools puts the cluster's own pool first in s.NodePools, where
// Cluster and NodePools expect it, and refuses the edits LKE would answer
// by replacing nodes: removing the cluster's own pool, and changing any
// pool's type. Errors carry the claim's own field paths, so they are
// found before the pools move.
func ArrangePools(s *spec.ClusterSpec, obs Observed, p *field.Path) field.ErrorList {
	own := obs.Own
	if own == "" {
		// A Cluster composed before the annotation has the claim's first
		// pool as its own, as it always had.
		own = s.NodePools[0].Name
	}
	errs := typeChanges(s.NodePools, obs, own, p)
	at := -1
	for i, np := range s.NodePools {
		if np.Name == own {
			at = i
		}
	}
	if at < 0 {
		return append(errs, field.Forbidden(p, fmt.Sprintf(
			"pool %q cannot be removed: it is the LKE cluster's own pool, which LKE keeps for the cluster's life, "+
				"and making another pool the cluster's own would delete that pool's nodes and create new ones; "+
				"keep %q (scale it down to 1 node if it is no longer needed)", own, own)))
	}
	if len(errs) == 0 && at > 0 {
		pools := append([]spec.NodePool{s.NodePools[at]}, s.NodePools[:at]...)
		s.NodePools = append(pools, s.NodePools[at+1:]...)
	}
	return errs
}

// typeChanges refuses a new type for a pool that exists: LKE cannot change
// a pool's type, so provider-linode would replace every node of it (a
// NodePool's type is RequiresReplace in linode_lke_node_pool; the
// cluster's own pool is deleted and created again).
func typeChanges(pools []spec.NodePool, obs Observed, own string, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	for i, np := range pools {
		was, ok := obs.Types[np.Name]
		if !ok || was == "" || was == np.Type {
			continue
		}
		how := "add a pool of the new type, move the workloads to it, then remove this pool"
		if np.Name == own {
			how = "add a pool of the new type and move the workloads to it; this pool stays as the cluster's own, at 1 node if you like"
		}
		errs = append(errs, field.Forbidden(p.Index(i).Child("type"), fmt.Sprintf(
			"pool %q runs %s and cannot change to %s: LKE cannot change a pool's type, so every node of the pool would be deleted and replaced; %s",
			np.Name, was, np.Type, how)))
	}
	return errs
}
