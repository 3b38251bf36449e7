package settings

import (
	"fmt"

	"github.com/platformcluster/function-platform-cluster/fn/score"
	"github.com/platformcluster/function-platform-cluster/input/v1beta1"
)

// The Input's Score settings in fn/score's own terms: the converter knows
// nothing of the Input, so a change to the Input's schema stops here.

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

// ScoreEnvironment maps environment values, as the Input and the claim
// give them, onto score's.
func ScoreEnvironment(env map[string]v1beta1.EnvironmentValue) map[string]score.EnvValue {
	if len(env) == 0 {
		return nil
	}
	out := make(map[string]score.EnvValue, len(env))
	for k, v := range env {
		ev := score.EnvValue{Value: v.Value}
		if v.SecretKeyRef != nil {
			ev.SecretName, ev.SecretKey = v.SecretKeyRef.Name, v.SecretKeyRef.Key
		}
		out[k] = ev
	}
	return out
}
