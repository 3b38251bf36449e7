package codec

import (
	"bytes"
	"testing"

	"google.golang.org/grpc/encoding"

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
