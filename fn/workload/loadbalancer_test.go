package workload

import (
	"testing"

	"github.com/platformcluster/function-platform-cluster/fn/compose"
)

func TestIsLoadBalancer(t *testing.T) {
	obj := func(m map[string]any) compose.Resource {
		return compose.Resource{Object: map[string]any{"spec": map[string]any{"forProvider": map[string]any{"manifest": m}}}}
	}
	cases := map[string]struct {
		r    compose.Resource
		want bool
	}{
		"LoadBalancerService": {r: obj(map[string]any{"kind": "Service", "spec": map[string]any{"type": "LoadBalancer"}}), want: true},
		"ClusterIPService":    {r: obj(map[string]any{"kind": "Service", "spec": map[string]any{"type": "ClusterIP"}})},
		"NotAService":         {r: obj(map[string]any{"kind": "Deployment", "spec": map[string]any{"type": "LoadBalancer"}})},
		"NoManifest":          {r: compose.Resource{Object: map[string]any{"spec": "x"}}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if got := IsLoadBalancer(tc.r); got != tc.want {
				t.Errorf("IsLoadBalancer = %v, want %v", got, tc.want)
			}
		})
	}
}
