package fn

import (
	"context"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/crossplane/function-sdk-go/logging"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/resource"

	"google.golang.org/protobuf/types/known/structpb"

	"github.com/platformcluster/function-platform-cluster/fn/fntest"
)

// go test -run '^$' -bench . -benchmem ./fn/

func BenchmarkRunFunctionMinimal(b *testing.B) {
	req := &fnv1.RunFunctionRequest{
		Input:    resource.MustStructJSON(input),
		Observed: &fnv1.State{Composite: xr(`{"clusterSpec": {"clusterName": "demo", "labels": {"team": "platform"}, "nodePool": {"count": 3, "type": "g6-standard-6"}}}`)},
	}
	benchmarkRun(b, req)
}

func BenchmarkRunFunctionFull(b *testing.B) {
	benchmarkRun(b, everythingObserved(b))
}

// BenchmarkRunFunctionLarge: all components, 3 node pools and 10 Score
// workloads with postgres, dns and a route, everything observed ready.
func BenchmarkRunFunctionLarge(b *testing.B) {
	benchmarkRun(b, converged(b, fntest.Large(10)))
}

// BenchmarkRunFunctionPublished: Large's claim published with HTTPS under a
// domain, so 13 hosts with a record, a certificate and a listener each.
func BenchmarkRunFunctionPublished(b *testing.B) {
	benchmarkRun(b, converged(b, fntest.Published(10)))
}

// BenchmarkProtoFloor is the cost gRPC itself adds per call for the full
// claim: unmarshal the request, marshal the response. The function cannot
// be cheaper than a small multiple of this.
func BenchmarkProtoFloor(b *testing.B) {
	benchmarkProtoFloor(b, converged(b, fntest.Large(10)))
}

func benchmarkProtoFloor(b *testing.B, req *fnv1.RunFunctionRequest) {
	rsp, err := New(logging.NewNopLogger()).RunFunction(context.Background(), req)
	if err != nil {
		b.Fatal(err)
	}
	reqBytes, _ := proto.Marshal(req)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		in := &fnv1.RunFunctionRequest{}
		if err := proto.Unmarshal(reqBytes, in); err != nil {
			b.Fatal(err)
		}
		if _, err := proto.Marshal(rsp); err != nil {
			b.Fatal(err)
		}
	}
}

func benchmarkRun(b *testing.B, req *fnv1.RunFunctionRequest) {
	f := New(logging.NewNopLogger())
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := f.RunFunction(context.Background(), req); err != nil {
			b.Fatal(err)
		}
	}
}

// withInput runs the function with a given Input, so Converge reaches the
// steady state of a claim whose Composition sets one.
type withInput struct {
	f     *Function
	input *structpb.Struct
}

func (w withInput) RunFunction(ctx context.Context, req *fnv1.RunFunctionRequest) (*fnv1.RunFunctionResponse, error) {
	req.Input = w.input
	return w.f.RunFunction(ctx, req)
}

// convergedMixed is the steady state of fntest.Mixed(n) with
// fntest.MixedInput.
func convergedMixed(t testing.TB, n int) *fnv1.RunFunctionRequest {
	t.Helper()
	in := resource.MustStructJSON(fntest.MixedInput)
	req, err := fntest.Converge(context.Background(), withInput{New(logging.NewNopLogger()), in}, fntest.Mixed(n), 10)
	if err != nil {
		t.Fatal(err)
	}
	req.Input = in
	return req
}

// BenchmarkRunFunctionMixed: 20 Score workloads of every resource type
// (service dependencies and a platform provisioner's type included), all
// observed ready.
func BenchmarkRunFunctionMixed(b *testing.B) {
	benchmarkRun(b, convergedMixed(b, 20))
}

// BenchmarkProtoFloorMixed is BenchmarkProtoFloor for the mixed claim: the
// in-process RunFunctionMixed must stay below it.
func BenchmarkProtoFloorMixed(b *testing.B) {
	benchmarkProtoFloor(b, convergedMixed(b, 20))
}

// BenchmarkRunFunctionMixed50 is RunFunctionMixed with 50 workloads, every
// resource set of fntest.Mixed seven times or more.
func BenchmarkRunFunctionMixed50(b *testing.B) {
	benchmarkRun(b, convergedMixed(b, 50))
}

// BenchmarkProtoFloorMixed50 is the protobuf floor of RunFunctionMixed50's
// request and response, which it must stay within.
func BenchmarkProtoFloorMixed50(b *testing.B) {
	benchmarkProtoFloor(b, convergedMixed(b, 50))
}
