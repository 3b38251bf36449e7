package score

import (
	"fmt"
	"maps"

	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/platformcluster/function-platform-cluster/fn/score/provision"
)

// provisionEnvironment resolves an `environment` resource, score-compose's
// built-in: each output is a value the deployer supplies. score-compose
// reads them from its own process environment at deploy time; here they
// come from the claim (Deploy.Environment) over the function Input
// (Options.Environment). A value is plain text or a Secret key on the
// target cluster, never a secret in plain text. An output the placeholders
// ask for and nobody gave is an unknown output whose message names where
// to give it. A bad value in the workload's own entry fails the workload;
// a bad platform value fails only the workloads whose placeholders use it.
func (w *workloadCtx) provisionEnvironment(r *provision.Request) *provision.Result {
	values := map[string]EnvValue{}
	maps.Copy(values, w.c.opts.Environment)
	maps.Copy(values, w.p.deploy.Environment)
	p := &provision.Result{Outputs: map[string]provision.Output{}, BadOutputs: map[string]string{}, Hint: w.environmentHint()}
	for _, k := range sortedKeys(values) {
		o, bad := envOutput(values[k])
		if bad == "" {
			p.Outputs[k] = o
			continue
		}
		msg := w.envField(k) + ": " + bad
		if _, own := w.p.deploy.Environment[k]; own {
			// The workload's own entry in the claim is wrong: its error.
			w.d.fatal("", "%s", msg)
			continue
		}
		// A platform value is wrong only for the workloads that use it.
		p.BadOutputs[k] = msg
	}
	return p
}

// envOutput turns one value into an output, or says what is wrong with it.
func envOutput(v EnvValue) (provision.Output, string) {
	switch {
	case v.Value != nil && v.SecretName != "":
		return provision.Output{}, "give either value or secretKeyRef, not both"
	case v.Value != nil:
		return provision.Plain(*v.Value), ""
	case v.SecretName == "":
		return provision.Output{}, "has no value; give value or secretKeyRef"
	}
	if errs := validation.IsDNS1123Subdomain(v.SecretName); len(errs) > 0 {
		return provision.Output{}, fmt.Sprintf("secretKeyRef.name: %q is not a Secret name: %s", v.SecretName, errs[0])
	}
	if errs := validation.IsConfigMapKey(v.SecretKey); len(errs) > 0 {
		return provision.Output{}, fmt.Sprintf("secretKeyRef.key: %q is not a Secret key: %s", v.SecretKey, errs[0])
	}
	return provision.Output{Secret: &provision.SecretRef{Name: v.SecretName, Key: v.SecretKey}}, ""
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
