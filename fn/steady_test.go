package fn

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/structpb"
	"sigs.k8s.io/yaml"

	"github.com/crossplane/function-sdk-go/logging"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/platformcluster/function-platform-cluster/fn/fntest"
)

var updateSteady = flag.Bool("update-steady", false, "rewrite fn/testdata/steady/example-claim.json.gz from the example claim")

// steadyDir holds steady-state requests: what Crossplane sends for a claim
// that is Ready and unchanged, as a control plane sends it. Each is a
// gzipped protojson RunFunctionRequest. example-claim.json.gz is built by
// fntest.Plane from the example claim (go test ./fn -run
// TestSteadyStateCapture -update-steady); a capture from a live plane
// (secrets trimmed) can sit beside it under another name.
const steadyDir = "testdata/steady"

// exampleRequest is the request for the render example's claim, its
// Composition's Input and required resources, with nothing observed.
func exampleRequest(t testing.TB) *fnv1.RunFunctionRequest {
	t.Helper()
	xr := &fnv1.Resource{Resource: yamlStruct(t, "../example/render/xr.yaml")}
	comp := yamlStruct(t, "../package/configuration/composition.yaml").AsMap()
	input := comp["spec"].(map[string]any)["pipeline"].([]any)[0].(map[string]any)["input"].(map[string]any)
	in, err := structpb.NewStruct(input)
	if err != nil {
		t.Fatal(err)
	}
	return &fnv1.RunFunctionRequest{
		Input:    in,
		Observed: &fnv1.State{Composite: xr},
		RequiredResources: map[string]*fnv1.Resources{
			kubeconfigRequirement:        {Items: []*fnv1.Resource{{Resource: yamlStruct(t, "../example/render/required/kubeconfig-secret.yaml")}}},
			scoreRequirement("demo-app"): {Items: []*fnv1.Resource{{Resource: yamlStruct(t, "../example/render/required/demo-app-score.yaml")}}},
		},
	}
}

func yamlStruct(t testing.TB, path string) *structpb.Struct {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]any{}
	if err := yaml.Unmarshal(raw, &m); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	s, err := structpb.NewStruct(m)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// convergeExample reconciles the example claim, every composed resource
// reported ready as a control plane reports it (fntest.Plane: a Job's
// Object shows the Job Complete) and the XR's status as the function wrote
// it, until neither what it composes nor that status changes.
func convergeExample(t testing.TB) *fnv1.RunFunctionRequest {
	t.Helper()
	f := New(logging.NewNopLogger())
	req := exampleRequest(t)
	var keys []string
	var status *structpb.Value
	for range 15 {
		rsp, err := f.RunFunction(context.Background(), fntest.Plane(req))
		if err != nil {
			t.Fatal(err)
		}
		k, st := sortedKeys(rsp.GetDesired().GetResources()), rsp.GetDesired().GetComposite().GetResource().GetFields()["status"]
		if cmp.Equal(k, keys) && proto.Equal(st, status) {
			return req
		}
		keys, status = k, st
		req.Observed.Resources = fntest.Observed(rsp, fntest.All, true)
		if st != nil {
			req.Observed.Composite.Resource.Fields["status"] = proto.Clone(st).(*structpb.Value)
		}
	}
	t.Fatal("the example claim did not converge in 15 reconciles")
	return nil
}

// TestSteadyStateCapture checks that every steady-state request is steady
// for the function as it is: it composes exactly what was observed. A
// change to what the function composes needs the capture rebuilt (or
// recaptured), or the benchmarks measure a migration, not a steady state.
func TestSteadyStateCapture(t *testing.T) {
	if *updateSteady {
		writeSteady(t, filepath.Join(steadyDir, "example-claim.json.gz"), fntest.Plane(convergeExample(t)))
	}
	for name, req := range steadyRequests(t) {
		t.Run(name, func(t *testing.T) {
			rsp, err := New(logging.NewNopLogger()).RunFunction(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rsp.GetResults() {
				if r.GetSeverity() == fnv1.Severity_SEVERITY_FATAL {
					t.Fatalf("Fatal: %s", r.GetMessage())
				}
			}
			if diff := cmp.Diff(sortedKeys(req.GetObserved().GetResources()), sortedKeys(rsp.GetDesired().GetResources())); diff != "" {
				t.Errorf("composed resources differ from the observed ones (rebuild with -update-steady): -observed, +desired:\n%s", diff)
			}
		})
	}
}

// steadyRequests loads every request in steadyDir, by file name.
func steadyRequests(t testing.TB) map[string]*fnv1.RunFunctionRequest {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(steadyDir, "*.json.gz"))
	if err != nil || len(names) == 0 {
		t.Fatalf("no steady-state requests in %s: %v", steadyDir, err)
	}
	out := map[string]*fnv1.RunFunctionRequest{}
	for _, n := range names {
		f, err := os.Open(n)
		if err != nil {
			t.Fatal(err)
		}
		zr, err := gzip.NewReader(f)
		if err != nil {
			t.Fatalf("%s: %v", n, err)
		}
		raw, err := io.ReadAll(zr)
		_ = f.Close()
		if err != nil {
			t.Fatalf("%s: %v", n, err)
		}
		req := &fnv1.RunFunctionRequest{}
		if err := protojson.Unmarshal(raw, req); err != nil {
			t.Fatalf("%s: %v", n, err)
		}
		out[strings.TrimSuffix(filepath.Base(n), ".json.gz")] = req
	}
	return out
}

// writeSteady writes req as indented protojson, gzipped. protojson's own
// output varies its whitespace between runs; re-indenting makes the file
// the same bytes for the same request.
func writeSteady(t testing.TB, path string, req *fnv1.RunFunctionRequest) {
	t.Helper()
	raw, err := protojson.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	var ind bytes.Buffer
	if err := json.Indent(&ind, raw, "", " "); err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	if _, err := zw.Write(append(ind.Bytes(), '\n')); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, gz.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkSteadyState runs each steady-state request as a call costs the
// function: unmarshal the request's bytes, RunFunction, marshal the
// response (what gRPC does around the call), and reports the request's and
// the response's size in bytes.
func BenchmarkSteadyState(b *testing.B) {
	for name, req := range steadyRequests(b) {
		b.Run(name, func(b *testing.B) {
			f := New(logging.NewNopLogger())
			in, err := proto.Marshal(req)
			if err != nil {
				b.Fatal(err)
			}
			var outBytes int
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				r := &fnv1.RunFunctionRequest{}
				if err := proto.Unmarshal(in, r); err != nil {
					b.Fatal(err)
				}
				rsp, err := f.RunFunction(context.Background(), r)
				if err != nil {
					b.Fatal(err)
				}
				out, err := proto.Marshal(rsp)
				if err != nil {
					b.Fatal(err)
				}
				outBytes = len(out)
			}
			b.ReportMetric(float64(len(in)), "req-bytes")
			b.ReportMetric(float64(outBytes), "rsp-bytes")
		})
	}
}
