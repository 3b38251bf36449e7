package fn

import (
	"bytes"
	"context"
	"sync"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/crossplane/function-sdk-go/logging"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/platformcluster/function-platform-cluster/fn/fntest"
)

// everythingObserved returns a request for the full claim after every stage
// has been composed and observed ready, the largest response the function
// gives for it.
func everythingObserved(t testing.TB) *fnv1.RunFunctionRequest {
	t.Helper()
	return converged(t, fntest.Full)
}

// converged returns the steady-state request of a claim whose resources
// are all observed ready.
func converged(t testing.TB, spec string) *fnv1.RunFunctionRequest {
	t.Helper()
	req, err := fntest.Converge(context.Background(), New(logging.NewNopLogger()), spec, 10)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

func TestSameRequestGivesByteIdenticalResponses(t *testing.T) {
	// Every component, three pools and three Score workloads, all observed.
	req := converged(t, fntest.Large(3))
	// A fresh Function each time would hide a cache that leaks state between
	// calls; one Function serves all 1000.
	f := New(logging.NewNopLogger())
	marshal := proto.MarshalOptions{Deterministic: true}
	var first []byte
	for i := range 1000 {
		rsp, err := f.RunFunction(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		b, err := marshal.Marshal(rsp)
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = b
			continue
		}
		if !bytes.Equal(first, b) {
			t.Fatalf("response %d differs from the first", i)
		}
	}
}

// TestConcurrentCalls is meant for the race detector: Crossplane calls one
// function process for every XR at once.
func TestConcurrentCalls(t *testing.T) {
	req := everythingObserved(t)
	f := New(logging.NewNopLogger())
	want, err := f.RunFunction(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 20 {
				got, err := f.RunFunction(context.Background(), req)
				if err != nil {
					errs <- err.Error()
					return
				}
				if !proto.Equal(want, got) {
					errs <- "concurrent call returned a different response"
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
