package fn

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/testing/protocmp"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
)

// A thing's first reason for not being ready is the one reported, and a
// reason given once keeps it from being ready.
func TestReadiness(t *testing.T) {
	cases := map[string]struct {
		steps func(r *readiness)
		want  readiness
	}{
		"Passed":            {steps: func(r *readiness) { r.pass() }, want: readiness{ready: true}},
		"FirstReasonWins":   {steps: func(r *readiness) { r.fail("a"); r.fail("b") }, want: readiness{message: "a"}},
		"PassAfterFail":     {steps: func(r *readiness) { r.fail("a"); r.pass() }, want: readiness{message: "a"}},
		"FailAfterPass":     {steps: func(r *readiness) { r.pass(); r.fail("a") }, want: readiness{message: "a"}},
		"NeverPassedOrFail": {steps: func(*readiness) {}, want: readiness{}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var got readiness
			tc.steps(&got)
			if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(readiness{})); diff != "" {
				t.Errorf("-want, +got:\n%s", diff)
			}
		})
	}
}

// A group's condition is True with its done message when every member is
// ready, else False with the pending members in order.
func TestProgressCondition(t *testing.T) {
	cases := map[string]struct {
		members map[string]readiness
		order   []string
		want    *fnv1.Condition
	}{
		"AllReady": {
			members: map[string]readiness{"a": {ready: true}, "b": {ready: true}},
			order:   []string{"a", "b"},
			want:    cond("X", fnv1.Status_STATUS_CONDITION_TRUE, "Available", "all ready"),
		},
		"PendingInOrder": {
			members: map[string]readiness{"a": {message: "waits"}, "b": {ready: true}, "c": {message: "broken"}},
			order:   []string{"c", "b", "a"},
			want:    cond("X", fnv1.Status_STATUS_CONDITION_FALSE, "Creating", "c: broken; a: waits"),
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var g progress
			for _, n := range tc.order {
				g.addNamed(n, tc.members[n])
			}
			if g.total != len(tc.order) {
				t.Errorf("total: want %d, got %d", len(tc.order), g.total)
			}
			rsp := &fnv1.RunFunctionResponse{}
			g.condition(rsp, "X", "Creating", "all ready")
			if diff := cmp.Diff([]*fnv1.Condition{tc.want}, rsp.GetConditions(), protocmp.Transform()); diff != "" {
				t.Errorf("-want, +got:\n%s", diff)
			}
		})
	}
}
