package lke

import (
	"github.com/platformcluster/function-platform-cluster/fn/compose"
	"github.com/platformcluster/function-platform-cluster/fn/spec"
)

// NodePoolKey is the composition resource name of a NodePool.
func NodePoolKey(pool string) string { return "nodepool-" + pool }

// NodePools builds a NodePool for every pool after the first. Each refers
// to the Cluster by name, which the function sets, so no selector can pick
// another XR's cluster.
func NodePools(o compose.Owner, s *spec.ClusterSpec, c Config) []compose.Resource {
	out := make([]compose.Resource, 0, len(s.NodePools))
	for _, np := range s.NodePools[1:] {
		fp := pool(np, true)
		fp["clusterIdRef"] = map[string]any{"name": ClusterName(o.XR)}
		obj := compose.Object(APIVersion, "NodePool", o.Name("pool-"+np.Name))
		obj["spec"] = map[string]any{
			"forProvider":       fp,
			"providerConfigRef": map[string]any{"name": c.ProviderConfig},
		}
		o.Label(obj, "lke")
		out = append(out, compose.Resource{Key: NodePoolKey(np.Name), Object: obj})
	}
	return out
}
