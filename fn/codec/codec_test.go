package codec

import (
	"bytes"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"google.golang.org/grpc/encoding"
	"google.golang.org/grpc/mem"
	"google.golang.org/protobuf/proto"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/resource"
)

func TestMarshalIsDeterministic(t *testing.T) {
	rsp := &fnv1.RunFunctionResponse{Desired: &fnv1.State{Resources: map[string]*fnv1.Resource{}}}
	for _, k := range []string{"a", "b", "c", "d", "e", "f", "g", "h"} {
		rsp.Desired.Resources[k] = &fnv1.Resource{Resource: resource.MustStructJSON(`{"x":{"p":1,"q":2,"r":3,"s":4}}`)}
	}
	first, err := Deterministic{}.Marshal(rsp)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 200 {
		again, err := Deterministic{}.Marshal(rsp)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first.Materialize(), again.Materialize()) {
			t.Fatalf("marshal %d differs from the first", i)
		}
	}
	var back fnv1.RunFunctionResponse
	if err := (Deterministic{}).Unmarshal(first, &back); err != nil {
		t.Fatal(err)
	}
	if len(back.GetDesired().GetResources()) != 8 {
		t.Errorf("round trip lost resources: %v", back.GetDesired())
	}
}

func TestRegisterReplacesProtoCodec(t *testing.T) {
	Register()
	if _, ok := encoding.GetCodecV2(Name).(Deterministic); !ok {
		t.Errorf("codec %q is %T, want Deterministic", Name, encoding.GetCodecV2(Name))
	}
}

// TestCountsBytesAndRequests: what the live measurement reads is what went
// over the wire, and a request counts as carrying required resources only
// when it does.
func TestCountsBytesAndRequests(t *testing.T) {
	before := func() (float64, float64, float64, float64) {
		return testutil.ToFloat64(requestBytes), testutil.ToFloat64(responseBytes),
			testutil.ToFloat64(requests.WithLabelValues("yes")), testutil.ToFloat64(requests.WithLabelValues("no"))
	}
	req0, rsp0, yes0, no0 := before()
	sent := 0
	for _, req := range []*fnv1.RunFunctionRequest{
		{Meta: &fnv1.RequestMeta{Tag: "first"}},
		{Meta: &fnv1.RequestMeta{Tag: "second"}, RequiredResources: map[string]*fnv1.Resources{"k": {}}},
	} {
		raw, err := proto.Marshal(req)
		if err != nil {
			t.Fatal(err)
		}
		if err := (Deterministic{}).Unmarshal(mem.BufferSlice{mem.SliceBuffer(raw)}, &fnv1.RunFunctionRequest{}); err != nil {
			t.Fatal(err)
		}
		sent += len(raw)
	}
	out, err := Deterministic{}.Marshal(&fnv1.RunFunctionResponse{Meta: &fnv1.ResponseMeta{Tag: "t"}})
	if err != nil {
		t.Fatal(err)
	}
	req1, rsp1, yes1, no1 := before()
	if req1-req0 != float64(sent) || rsp1-rsp0 != float64(out.Len()) || yes1-yes0 != 1 || no1-no0 != 1 {
		t.Errorf("counted request bytes %v (want %d), response bytes %v (want %d), required yes +%v no +%v (want +1, +1)",
			req1-req0, sent, rsp1-rsp0, out.Len(), yes1-yes0, no1-no0)
	}
}
