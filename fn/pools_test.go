package fn

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/testing/protocmp"

	"github.com/crossplane/function-sdk-go/logging"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/resource"

	"github.com/platformcluster/function-platform-cluster/fn/fntest"
)

// Reordering the claim's pools composes exactly what the original order
// composes: the cluster keeps its own pool, and no NodePool moves, so no
// node is replaced.
func TestReorderedPoolsComposeTheSame(t *testing.T) {
	const (
		original  = `{"clusterSpec": {"clusterName": "demo", "labels": {"team": "a"}, "nodePools": [{"name": "default", "type": "g6-standard-4", "count": 3}, {"name": "burst", "type": "g6-standard-8", "count": 1}]}}`
		reordered = `{"clusterSpec": {"clusterName": "demo", "labels": {"team": "a"}, "nodePools": [{"name": "burst", "type": "g6-standard-8", "count": 1}, {"name": "default", "type": "g6-standard-4", "count": 3}]}}`
	)
	f := New(logging.NewNopLogger())
	run := func(spec string, obs map[string]*fnv1.Resource) *fnv1.RunFunctionResponse {
		t.Helper()
		rsp, err := f.RunFunction(context.Background(), &fnv1.RunFunctionRequest{
			Input:    resource.MustStructJSON(fntest.Input),
			Observed: &fnv1.State{Composite: fntest.XR(spec), Resources: obs},
		})
		if err != nil {
			t.Fatal(err)
		}
		return rsp
	}
	first := run(original, nil)
	obs := fntest.Observed(first, fntest.None, false)
	want, got := run(original, obs), run(reordered, obs)
	if diff := cmp.Diff(want, got, protocmp.Transform()); diff != "" {
		t.Errorf("reordered pools: -original, +reordered:\n%s", diff)
	}
	if own := got.GetDesired().GetResources()["cluster"].GetResource().AsMap()["metadata"].(map[string]any)["annotations"]; own == nil {
		t.Errorf("the Cluster does not name its own pool: %v", own)
	}
}
