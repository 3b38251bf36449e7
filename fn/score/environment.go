package score

import (
	"fmt"
	"maps"

	"k8s.io/apimachinery/pkg/util/validation"
)

// provisionEnvironment resolves an `environment` resource, score-compose's
// built-in: each output is a value the deployer supplies. score-compose
// reads them from its own process environment at deploy time; here they
// come from the claim (Deploy.Environment) over the function Input
// (Options.Environment). A value is plain text or a Secret key on the
// target cluster, never a secret in plain text. An output the placeholders
// ask for and nobody gave is an unknown output whose message names where
// to give it.
func (w *workloadCtx) provisionEnvironment(r *request) *provisioned {
	values := map[string]EnvValue{}
	maps.Copy(values, w.c.opts.Environment)
	maps.Copy(values, w.p.deploy.Environment)
	p := &provisioned{outputs: map[string]output{}, hint: w.environmentHint()}
	for _, k := range sortedKeys(values) {
		if o, ok := w.envOutput(k, values[k]); ok {
			p.outputs[k] = o
		}
	}
	return p
}

// envOutput checks one value; a bad one fails the workload, naming the
// field that gives it.
func (w *workloadCtx) envOutput(key string, v EnvValue) (output, bool) {
	field := w.envField(key)
	switch {
	case v.Value != nil && v.SecretName != "":
		w.d.fatal("", "%s: give either value or secretKeyRef, not both", field)
	case v.Value != nil:
		return plainOutput(*v.Value), true
	case v.SecretName == "":
		w.d.fatal("", "%s: has no value; give value or secretKeyRef", field)
	default:
		if errs := validation.IsDNS1123Subdomain(v.SecretName); len(errs) > 0 {
			w.d.fatal("", "%s.secretKeyRef.name: %q is not a Secret name: %s", field, v.SecretName, errs[0])
			break
		}
		if errs := validation.IsConfigMapKey(v.SecretKey); len(errs) > 0 {
			w.d.fatal("", "%s.secretKeyRef.key: %q is not a Secret key: %s", field, v.SecretKey, errs[0])
			break
		}
		return output{secret: &secretRef{name: v.SecretName, key: v.SecretKey}}, true
	}
	return output{}, false
}

// envField is where the value of key is given: the claim's workload field
// when it gives one, else the Input.
func (w *workloadCtx) envField(key string) string {
	if _, ok := w.p.deploy.Environment[key]; ok {
		return w.p.deploy.Field + ".environment." + key
	}
	return w.c.opts.EnvironmentField + "." + key
}

func (w *workloadCtx) environmentHint() string {
	where := "in the claim"
	if w.p.deploy.Field != "" {
		where = "at " + w.p.deploy.Field + ".environment"
	}
	if w.c.opts.EnvironmentField != "" {
		where += " or in " + w.c.opts.EnvironmentField
	}
	return fmt.Sprintf("environment values are given %s", where)
}
