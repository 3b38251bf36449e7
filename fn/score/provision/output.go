package provision

import (
	"strings"

	corev1 "k8s.io/api/core/v1"
)

// SecretRef names a key of a Secret in the consuming workload's namespace.
type SecretRef struct {
	Name, Key string
}

// EnvVarSource reads the key from the Secret, for an environment variable.
func (r SecretRef) EnvVarSource() *corev1.EnvVarSource {
	return &corev1.EnvVarSource{SecretKeyRef: &corev1.SecretKeySelector{
		LocalObjectReference: corev1.LocalObjectReference{Name: r.Name},
		Key:                  r.Key,
	}}
}

// Output is one resource output: a plain value, a reference to a secret
// value that only exists on the target cluster, or text mixing both
// (Parts).
type Output struct {
	Value  string
	Secret *SecretRef
	Parts  Text
}

// Plain is an output holding v.
func Plain(v string) Output { return Output{Value: v} }

// Segment is a run of literal text or one secret reference.
type Segment struct {
	Text   string
	Secret *SecretRef
}

// Text is a string that may hold secret references. Secret outputs cannot
// be substituted, because their values are generated on the cluster, so
// they stay references between the literal runs.
type Text []Segment

// Plain returns the value when it holds no secret reference.
func (t Text) Plain() (string, bool) {
	var b strings.Builder
	for _, s := range t {
		if s.Secret != nil {
			return "", false
		}
		b.WriteString(s.Text)
	}
	return b.String(), true
}

// WholeSecret returns the reference when the value is exactly one secret.
func (t Text) WholeSecret() (*SecretRef, bool) {
	if len(t) == 1 && t[0].Secret != nil {
		return t[0].Secret, true
	}
	return nil, false
}
