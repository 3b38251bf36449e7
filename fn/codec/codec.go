// Package codec makes the function's gRPC responses byte-for-byte
// deterministic. Desired state is made of protobuf maps (composed resources,
// Struct fields) and gRPC's default codec marshals maps in random order, so
// two identical responses could differ on the wire.
package codec

import (
	"fmt"

	"google.golang.org/grpc/encoding"
	"google.golang.org/grpc/mem"
	"google.golang.org/protobuf/proto"
)

// Name is the codec gRPC uses for protobuf; registering under it replaces
// the default.
const Name = "proto"

// Deterministic marshals protobuf messages with sorted map keys.
type Deterministic struct{}

// Register replaces gRPC's protobuf codec for this process. Call it before
// serving.
func Register() { encoding.RegisterCodecV2(Deterministic{}) }

// Marshal encodes v with map entries in key order.
func (Deterministic) Marshal(v any) (mem.BufferSlice, error) {
	m, ok := v.(proto.Message)
	if !ok {
		return nil, fmt.Errorf("codec: cannot marshal %T, want proto.Message", v)
	}
	b, err := proto.MarshalOptions{Deterministic: true}.Marshal(m)
	if err != nil {
		return nil, err
	}
	countResponse(m, len(b))
	return mem.BufferSlice{mem.SliceBuffer(b)}, nil
}

// Unmarshal decodes data into v.
func (Deterministic) Unmarshal(data mem.BufferSlice, v any) error {
	m, ok := v.(proto.Message)
	if !ok {
		return fmt.Errorf("codec: cannot unmarshal into %T, want proto.Message", v)
	}
	buf := data.MaterializeToBuffer(mem.DefaultBufferPool())
	defer buf.Free()
	if err := proto.Unmarshal(buf.ReadOnlyData(), m); err != nil {
		return err
	}
	countRequest(m, len(buf.ReadOnlyData()))
	return nil
}

// Name is the codec's name.
func (Deterministic) Name() string { return Name }
