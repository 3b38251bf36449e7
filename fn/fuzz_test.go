package fn

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/crossplane/function-sdk-go/logging"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/resource"

	"github.com/platformcluster/function-platform-cluster/fn/fntest"
	"github.com/platformcluster/function-platform-cluster/fn/spec"
)

// FuzzDecodeSpec feeds arbitrary JSON to the XR spec decoder and validator.
// They must never panic, and must either accept the spec or explain why.
func FuzzDecodeSpec(f *testing.F) {
	f.Add([]byte(full))
	f.Add([]byte(`{"clusterSpec": {"clusterName": "demo", "labels": {"team": "a"}, "nodePool": {"count": 3}}}`))
	f.Add([]byte(`{"clusterSpec": {"nodePools": [{"autoscaler": {"min": 9, "max": 1}}], "controlPlaneAcl": {"enabled": true, "addresses": {"ipv4": ["x"]}}}}`))
	f.Add([]byte(`{"components": {"o11yStack": {"enabled": true, "loki": "yes"}}, "workloads": [{"name": "a", "score": null}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var in map[string]any
		if json.Unmarshal(data, &in) != nil {
			return
		}
		s, errs := spec.Decode(in)
		if len(errs) > 0 {
			for _, e := range errs {
				if e.Field == "" {
					t.Errorf("error without a field path: %v", e)
				}
			}
			return
		}
		s.ApplyDefaults(spec.Defaults{NodeType: "g6-standard-2", NodeCount: 3})
		errs, _ = s.Validate([]string{"us-ord"}, spec.KubernetesVersions{spec.TierStandard: {"1.36"}})
		for _, e := range errs {
			if e.Field == "" {
				t.Errorf("error without a field path: %v", e)
			}
		}
	})
}

// FuzzRunFunction mutates a whole request: the XR, the observed resources
// and the connection details. RunFunction must never panic or return an
// error; bad input is a Fatal result.
func FuzzRunFunction(f *testing.F) {
	seed, err := proto.Marshal(everythingObserved(f))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	withWorkloads, err := proto.Marshal(converged(f, fntest.Large(2)))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(withWorkloads)
	minimal, _ := proto.Marshal(&fnv1.RunFunctionRequest{
		Input:    resource.MustStructJSON(input),
		Observed: &fnv1.State{Composite: xr(`{"clusterSpec": {"clusterName": "demo", "labels": {"team": "a"}}}`)},
	})
	f.Add(minimal)
	fn := New(logging.NewNopLogger())
	f.Fuzz(func(t *testing.T, data []byte) {
		req := &fnv1.RunFunctionRequest{}
		if proto.Unmarshal(data, req) != nil {
			return
		}
		rsp, err := fn.RunFunction(context.Background(), req)
		if err != nil {
			t.Fatalf("RunFunction returned an error instead of a result: %v", err)
		}
		for _, r := range rsp.GetResults() {
			if r.GetSeverity() == fnv1.Severity_SEVERITY_FATAL && r.GetMessage() == "" {
				t.Error("fatal result without a message")
			}
			// RunFunction recovers from panics to protect the process;
			// the fuzzer must still see them.
			if strings.HasPrefix(r.GetMessage(), internalError) {
				t.Fatalf("RunFunction panicked: %s", r.GetMessage())
			}
		}
	})
}
