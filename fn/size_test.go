package fn

import (
	"context"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/crossplane/function-sdk-go/logging"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/platformcluster/function-platform-cluster/fn/fntest"
)

// grpcDefaultMax is the default maximum gRPC message size Crossplane and
// the function accept.
const grpcDefaultMax = 4 << 20

// TestResponseSizeWithFiftyWorkloads keeps the largest realistic response
// far below the gRPC limit: a quarter of it at most.
func TestResponseSizeWithFiftyWorkloads(t *testing.T) {
	req := converged(t, fntest.Large(50))
	rsp, err := New(logging.NewNopLogger()).RunFunction(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rsp.GetResults() {
		if r.GetSeverity() == fnv1.Severity_SEVERITY_FATAL {
			t.Fatal(r.GetMessage())
		}
	}
	reqSize, rspSize := proto.Size(req), proto.Size(rsp)
	t.Logf("50 workloads: %d composed resources, request %d bytes, response %d bytes", len(rsp.GetDesired().GetResources()), reqSize, rspSize)
	if len(rsp.GetDesired().GetResources()) < 50*8 {
		t.Fatalf("want every workload delivered, got %d composed resources", len(rsp.GetDesired().GetResources()))
	}
	if rspSize > grpcDefaultMax/4 || reqSize > grpcDefaultMax/4 {
		t.Errorf("request %d or response %d bytes exceeds a quarter of the 4 MiB gRPC default", reqSize, rspSize)
	}
}
