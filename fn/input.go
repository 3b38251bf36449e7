package fn

import (
	"encoding/json"
	"errors"

	kjson "sigs.k8s.io/json"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/platformcluster/function-platform-cluster/input/v1beta1"
)

// decodeInput strictly decodes the function Input from the Composition, so
// a misspelt Input field is reported by name rather than ignored.
func decodeInput(req *fnv1.RunFunctionRequest) (*v1beta1.Input, error) {
	in := &v1beta1.Input{}
	if req.GetInput() == nil {
		return in, nil
	}
	raw, err := json.Marshal(req.GetInput().AsMap())
	if err != nil {
		return nil, err
	}
	strict, err := kjson.UnmarshalStrict(raw, in)
	if err != nil {
		return nil, err
	}
	if len(strict) > 0 {
		return nil, errors.New(joinErrors(strict))
	}
	return in, nil
}
