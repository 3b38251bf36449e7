package lke

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/platformcluster/function-platform-cluster/fn/spec"
)

func TestArrangePools(t *testing.T) {
	pool := func(name, typ string) spec.NodePool {
		return spec.NodePool{Name: name, Type: typ, Count: ptr[int64](1)}
	}
	names := func(ps []spec.NodePool) []string {
		out := make([]string, 0, len(ps))
		for _, p := range ps {
			out = append(out, p.Name)
		}
		return out
	}
	cases := map[string]struct {
		pools     []spec.NodePool
		obs       Observed
		wantOrder []string
		wantErrs  []string
	}{
		"FirstCompositionTakesTheFirstPool": {
			pools:     []spec.NodePool{pool("a", "g6-standard-2"), pool("b", "g6-standard-4")},
			wantOrder: []string{"a", "b"},
		},
		"ReorderedPoolsKeepTheClustersOwnPoolFirst": {
			pools:     []spec.NodePool{pool("b", "g6-standard-4"), pool("c", "g6-standard-8"), pool("a", "g6-standard-2")},
			obs:       Observed{Own: "a", Types: map[string]string{"a": "g6-standard-2", "b": "g6-standard-4"}},
			wantOrder: []string{"a", "b", "c"},
		},
		"RemovingAnotherPoolIsFine": {
			pools:     []spec.NodePool{pool("a", "g6-standard-2")},
			obs:       Observed{Own: "a", Types: map[string]string{"a": "g6-standard-2", "b": "g6-standard-4"}},
			wantOrder: []string{"a"},
		},
		"ScalingIsFine": {
			pools:     []spec.NodePool{{Name: "a", Type: "g6-standard-2", Count: ptr[int64](7)}},
			obs:       Observed{Own: "a", Types: map[string]string{"a": "g6-standard-2"}},
			wantOrder: []string{"a"},
		},
		"RemovingTheClustersOwnPoolIsRefused": {
			pools:     []spec.NodePool{pool("b", "g6-standard-4")},
			obs:       Observed{Own: "a", Types: map[string]string{"a": "g6-standard-2", "b": "g6-standard-4"}},
			wantOrder: []string{"b"},
			wantErrs:  []string{`spec.clusterSpec.nodePools: Forbidden: pool "a" cannot be removed: it is the LKE cluster's own pool, which LKE keeps for the cluster's life, and making another pool the cluster's own would delete that pool's nodes and create new ones; keep "a" (scale it down to 1 node if it is no longer needed)`},
		},
		"ChangingATypeIsRefusedWithTheClaimsPath": {
			pools:     []spec.NodePool{pool("b", "g6-dedicated-8"), pool("a", "g6-standard-4")},
			obs:       Observed{Own: "a", Types: map[string]string{"a": "g6-standard-2", "b": "g6-standard-4"}},
			wantOrder: []string{"b", "a"},
			wantErrs: []string{
				`spec.clusterSpec.nodePools[0].type: Forbidden: pool "b" runs g6-standard-4 and cannot change to g6-dedicated-8: LKE cannot change a pool's type, so every node of the pool would be deleted and replaced; add a pool of the new type, move the workloads to it, then remove this pool`,
				`spec.clusterSpec.nodePools[1].type: Forbidden: pool "a" runs g6-standard-2 and cannot change to g6-standard-4: LKE cannot change a pool's type, so every node of the pool would be deleted and replaced; add a pool of the new type and move the workloads to it; this pool stays as the cluster's own, at 1 node if you like`,
			},
		},
		"AClusterWithoutTheAnnotationOwnsTheClaimsFirstPool": {
			pools:     []spec.NodePool{pool("a", "g6-standard-2"), pool("b", "g6-standard-4")},
			obs:       Observed{Types: map[string]string{"a": "g6-standard-2"}},
			wantOrder: []string{"a", "b"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			s := &spec.ClusterSpec{NodePools: tc.pools}
			errs := ArrangePools(s, tc.obs, field.NewPath("spec", "clusterSpec", "nodePools"))
			got := make([]string, 0, len(errs))
			for _, e := range errs {
				got = append(got, e.Error())
			}
			if diff := cmp.Diff(tc.wantErrs, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("ArrangePools errors: -want, +got:\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantOrder, names(s.NodePools)); diff != "" {
				t.Errorf("ArrangePools order: -want, +got:\n%s", diff)
			}
		})
	}
}
