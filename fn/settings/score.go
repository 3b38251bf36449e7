package settings

import (
	"fmt"

	"github.com/platformcluster/function-platform-cluster/fn/score"
	"github.com/platformcluster/function-platform-cluster/input/v1beta1"
)

// The Input's Score settings in fn/score's own terms: the converter knows
// nothing of the Input, so a change to the Input's schema stops here (or,
// for environment values, which the claim gives in the same shape, in
// workload.Environment).

// scoreProvisioners maps the Input's provisioners onto score's, each with
// its field path so problems name it.
func scoreProvisioners(in []v1beta1.ScoreProvisioner) []score.TemplateProvisioner {
	if len(in) == 0 {
		return nil
	}
	out := make([]score.TemplateProvisioner, len(in))
	for i, p := range in {
		out[i] = score.TemplateProvisioner{
			URI: p.URI, Type: p.Type, Class: p.Class, ID: p.ID, Description: p.Description,
			Init: p.Init, State: p.State, Shared: p.Shared, Outputs: p.Outputs, Manifests: p.Manifests,
			SupportedParams: p.SupportedParams, ExpectedOutputs: p.ExpectedOutputs,
			Field: fmt.Sprintf("workloads.provisioners[%d]", i),
		}
	}
	return out
}
