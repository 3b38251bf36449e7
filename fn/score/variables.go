package score

import (
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/platformcluster/function-platform-cluster/fn/score/names"
)

// refEnvPrefix starts the names of the helper variables that carry secret
// values into a variable mixing secrets and text.
const refEnvPrefix = "__ref_"

// env converts variables, sorted by name, into environment variables.
//
// A variable that is exactly one secret output reads the Secret with
// secretKeyRef. One that mixes secret outputs with text uses score-k8s'
// safe construction: each secret gets a helper variable read with
// secretKeyRef, listed first, and the variable refers to them with
// Kubernetes' $(NAME) expansion, so the value never appears in a manifest.
func (b *podBuilder) env(field string, vars map[string]string) []corev1.EnvVar {
	var helpers, out []corev1.EnvVar
	helperSeen := map[string]bool{}
	for _, name := range sortedKeys(vars) {
		vfield := field + "." + name
		if strings.HasPrefix(name, refEnvPrefix) {
			b.w.d.fatal(vfield, "variable names starting with %q are reserved for secret references", refEnvPrefix)
			continue
		}
		if errs := validation.IsRelaxedEnvVarName(name); len(errs) > 0 {
			b.w.d.fatal(vfield, "%q is not an environment variable name Kubernetes accepts: %s", name, strings.Join(errs, "; "))
			continue
		}
		r, msgs := b.w.resolver.resolve(vars[name])
		for _, m := range msgs {
			b.w.d.fatal(vfield, "%s", m)
		}
		if r == nil {
			continue
		}
		if s, ok := r.Plain(); ok {
			out = append(out, corev1.EnvVar{Name: name, Value: escapeEnv(s)})
			continue
		}
		if ref, ok := r.WholeSecret(); ok {
			out = append(out, corev1.EnvVar{Name: name, ValueFrom: ref.EnvVarSource()})
			continue
		}
		var v strings.Builder
		for _, seg := range r {
			if seg.Secret == nil {
				v.WriteString(strings.ReplaceAll(seg.Text, "$", "$$"))
				continue
			}
			helper := refEnvPrefix + names.Hash(seg.Secret.Name+"\x00"+seg.Secret.Key, 16)
			if !helperSeen[helper] {
				helperSeen[helper] = true
				helpers = append(helpers, corev1.EnvVar{Name: helper, ValueFrom: seg.Secret.EnvVarSource()})
			}
			v.WriteString("$(" + helper + ")")
		}
		out = append(out, corev1.EnvVar{Name: name, Value: v.String()})
	}
	// Kubernetes expands $(NAME) only from variables listed earlier.
	sortEnv(helpers)
	return append(helpers, out...)
}

// escapeEnv keeps Kubernetes from changing a value: it expands $(NAME) and
// reduces $$ to $ in every variable. Doubling each $ undoes both, and is
// only done when needed so ordinary values stay readable.
func escapeEnv(s string) string {
	if strings.Contains(s, "$$") || strings.Contains(s, "$(") {
		return strings.ReplaceAll(s, "$", "$$")
	}
	return s
}

func sortEnv(env []corev1.EnvVar) {
	slices.SortFunc(env, func(a, b corev1.EnvVar) int { return strings.Compare(a.Name, b.Name) })
}
