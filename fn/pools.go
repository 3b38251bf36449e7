package fn

import (
	"github.com/platformcluster/function-platform-cluster/fn/lke"
	"github.com/platformcluster/function-platform-cluster/fn/observed"
	"github.com/platformcluster/function-platform-cluster/fn/spec"
)

// observedPools reads which pool the observed Cluster holds as its own and
// every pool's type as last composed, for lke.ArrangePools.
func observedPools(obs observed.State, s *spec.ClusterSpec) lke.Observed {
	o := lke.Observed{
		Own:   obs.String(lke.ClusterKey, "metadata", "annotations", lke.OwnPoolAnnotation),
		Types: map[string]string{},
	}
	if !obs.Exists(lke.ClusterKey) {
		return o
	}
	own := o.Own
	if own == "" {
		own = s.NodePools[0].Name
	}
	if pools := obs.List(lke.ClusterKey, "spec", "forProvider", "pool"); len(pools) > 0 {
		o.Types[own] = pools[0].GetStructValue().GetFields()["type"].GetStringValue()
	}
	for _, np := range s.NodePools {
		if t := obs.String(lke.NodePoolKey(np.Name), "spec", "forProvider", "type"); t != "" && np.Name != own {
			o.Types[np.Name] = t
		}
	}
	return o
}
