// Package template runs a platform's own Score provisioners, written in
// score-k8s' template format (Provisioner), behind fn/score/provision's
// Provisioner interface: provisioner.go reads them, run.go evaluates their
// templates, funcs.go holds the template functions made stable,
// manifests.go checks the manifests and keeps Secret values off them, and
// values.go converts the values templates see and give.
package template

import (
	"fmt"
	"strings"

	"github.com/platformcluster/function-platform-cluster/fn/score/provision"
)

// Provisioner is a platform-defined provisioner in score-k8s'
// template format, so a platform team's provisioner files work unchanged:
// Go text/templates with sprig's functions, evaluated in the order init,
// state, shared, outputs, manifests, each giving YAML.
//
// The differences from score-k8s all serve determinism and secrecy:
//
//   - there is no state between calls, so .State starts empty on every
//     reconcile and .Shared lives for one conversion; the state template
//     still feeds .State to outputs and manifests;
//   - .Guid and sprig's random functions (randAlpha, randAlphaNum,
//     randAscii, randNumeric, randBytes, randInt, uuidv4) are derived from
//     the provisioner and the resource uid: stable across reconciles, and
//     therefore not secret;
//   - a Secret in manifests never carries its values to the cluster: each
//     key of its data or stringData must hold a value drawn with a random
//     function (at least 8 characters), and the credential generator Job
//     creates the key on the cluster with a fresh random value instead.
//     Outputs holding that drawn value (whole, or inside a longer string
//     such as a connection URI) become references to the Secret key, as if
//     written with encodeSecretRef. A Secret value that is not a drawn
//     value, and a drawn secret value showing in any other manifest, fail
//     the resource, since either would put the secret in plain text;
//   - now, shuffle and the functions making keys, certificates or hashes
//     fail: their output would differ on every call or put key material in
//     a manifest;
//   - manifests go into the resource's namespace (.Namespace): the
//     workload's, or the shared namespace for a resource with an id.
//
// It is score's own type, which fn/settings maps the function Input's
// provisioners onto; its JSON names are score-k8s' provisioner file's, so a
// provisioners file decodes into it unchanged.
type Provisioner struct {
	// URI names the provisioner; only template:// provisioners run.
	URI string `json:"uri"`
	// Type is the Score resource type it provisions.
	Type string `json:"type"`
	// Class and ID, when set, limit it to resources with that class or id.
	Class *string `json:"class,omitempty"`
	ID    *string `json:"id,omitempty"`
	// Description documents it; it is not evaluated.
	Description string `json:"description,omitempty"`
	// Init, State, Shared, Outputs and Manifests are the templates,
	// evaluated in that order.
	Init      string `json:"init,omitempty"`
	State     string `json:"state,omitempty"`
	Shared    string `json:"shared,omitempty"`
	Outputs   string `json:"outputs,omitempty"`
	Manifests string `json:"manifests,omitempty"`
	// SupportedParams, when set, are the only params it reads; others are
	// warned about. ExpectedOutputs documents its outputs.
	SupportedParams []string `json:"supported_params,omitempty"`
	ExpectedOutputs []string `json:"expected_outputs,omitempty"`

	// Field locates the provisioner in the function Input, for messages,
	// e.g. "workloads.provisioners[0]".
	Field string `json:"field,omitempty"`
}

// Problem is a provisioner that is ignored, and why.
type Problem struct {
	Field, Message string
}

// conversion is what the provisioners of one conversion share: .Shared,
// and the values their random functions drew, which Secret manifests may
// hold.
type conversion struct {
	shared  map[string]any
	randoms map[string]bool
}

// running is a Provisioner serving one conversion.
type running struct {
	spec *Provisioner
	conv *conversion
}

// New makes the platform's provisioners ready for one conversion,
// reporting those that cannot match anything.
func New(ps []Provisioner) ([]provision.Provisioner, []Problem) {
	conv := &conversion{randoms: map[string]bool{}}
	var out []provision.Provisioner
	var problems []Problem
	ignore := func(field, format string, args ...any) {
		problems = append(problems, Problem{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	for i := range ps {
		tp := &ps[i]
		field := tp.Field
		if field == "" {
			field = fmt.Sprintf("provisioners[%d]", i)
		}
		switch {
		case tp.URI == "":
			ignore(field+".uri", "is required; the provisioner is ignored")
		case tp.Type == "":
			ignore(field+".type", "is required; provisioner %s is ignored", tp.URI)
		case !strings.HasPrefix(tp.URI, "template://"):
			ignore(field+".uri", "%s is not a template:// provisioner; a composition function cannot run commands, so it is ignored", tp.URI)
		default:
			out = append(out, &running{spec: tp, conv: conv})
		}
	}
	return out, problems
}

// Spec serves the provisioner's type, class and id; its resources with an
// id are shared.
func (p *running) Spec() provision.Spec {
	tp := p.spec
	return provision.Spec{
		URI: tp.URI, Type: tp.Type, Class: tp.Class, ID: tp.ID,
		Params: tp.SupportedParams, CheckParams: tp.SupportedParams != nil,
		Sharable: true,
	}
}
