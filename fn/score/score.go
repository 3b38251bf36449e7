// Package score converts Score workload specifications (score.dev/v1b1) into
// plain Kubernetes manifests.
//
// It follows score-k8s (github.com/score-spec/score-k8s) where score-k8s is
// right, and departs from it where score-k8s is unfit for a composition
// function that must give the same answer on every reconcile:
//
//   - no randomness and no clock: generated names (dns hosts, database names,
//     users) derive from workload and resource names, and secret values are
//     never generated here at all; they are listed in GeneratedSecret so the
//     caller can fill them on the target cluster;
//   - no secret value is ever written into a manifest;
//   - route ports may name a service port and are resolved to its number;
//   - service-port outputs the Service port, not the container port, because
//     the host it outputs is the Service;
//   - hosts are "<service>.<namespace>.svc", since workloads do not share a
//     namespace, and `service` (score-k8s' community provisioner) outputs
//     the other workload's Service that way; a dependency on a workload
//     that is not converted with it is a Fatal problem;
//   - every password score-k8s outputs in plain text (amqp's password,
//     mongodb's connection) is a secret reference here;
//   - s3 is an S3 store (SeaweedFS) per resource, not one MinIO shared by
//     all buckets, and kafka-topic shares a broker per namespace, not per
//     project;
//   - images left to deploy time ("."), and environment resources' values,
//     come from the claim (Workload.Deploy, Options.Environment);
//   - platform provisioners (fn/score/template) run score-k8s' templates
//     with stable instead of random values and never deliver a Secret's
//     values (see template.Provisioner).
//
// Provisioners are looked up in one registry (registry.go) by type, class
// and id: the platform's first, then the built-in ones.
//
// Every workload runs in its own namespace, named after the workload. Shared
// resources (those with an id) live in SharedNamespace.
package score

import (
	"fmt"
	"strings"

	"github.com/platformcluster/function-platform-cluster/fn/score/manifest"
	"github.com/platformcluster/function-platform-cluster/fn/score/provision"
	"github.com/platformcluster/function-platform-cluster/fn/score/template"
)

// SharedNamespace is the namespace that holds shared resources, the ones a
// Score file declares with an `id`. It is fixed rather than borrowed from a
// workload so adding or removing a workload never moves a shared database.
// A workload may not be named after it.
const SharedNamespace = "score-shared"

// ManagedBy is the app.kubernetes.io/managed-by label on every manifest.
const ManagedBy = manifest.ManagedBy

// Workload is one Score spec to convert.
type Workload struct {
	// Name is the name the claim uses for the workload; it is also the
	// Kubernetes namespace the workload runs in. When empty, metadata.name
	// of the spec is used.
	Name string
	// Source says where the spec came from, for messages, e.g.
	// "spec.workloads[1].score".
	Source string
	// Spec is the raw Score document as decoded from YAML or JSON. It is
	// never modified.
	Spec map[string]any
	// Deploy is what the deployer gives at deploy time.
	Deploy Deploy
}

// Deploy is what a Score file leaves to deploy time, given by whoever
// deploys it (the claim).
type Deploy struct {
	// Field is where these values are given, named in messages, e.g.
	// "spec.workloads[0]".
	Field string
	// Image is the image of every container whose Score image is ".", as
	// score-k8s' and score-compose's --image. It never replaces a named
	// image.
	Image string
	// Containers are images by container name. They replace the Score
	// file's image, "." or named: a platform that mirrors or pins an image
	// says so per container.
	Containers map[string]string
	// Environment are the values of `environment` resources' outputs; they
	// take precedence over Options.Environment.
	Environment map[string]EnvValue
}

// EnvValue is the value of one `environment` output: plain text, or a key
// of a Secret that already exists in the workload's namespace on the
// target cluster, so that a secret is never written in plain text.
type EnvValue struct {
	// Value is the plain text; nil when the value is a Secret key (or
	// missing, which is an error).
	Value *string `json:"value,omitempty"`
	// SecretName and SecretKey name the Secret key; both or neither.
	SecretName string `json:"secretName,omitempty"`
	SecretKey  string `json:"secretKey,omitempty"`
}

// Options configure a conversion.
type Options struct {
	// GatewayName and GatewayNamespace name the Gateway every HTTPRoute
	// attaches to. Routes are Fatal when GatewayName is empty; an empty
	// GatewayNamespace means the Gateway is in the route's namespace.
	GatewayName, GatewayNamespace string
	// Domain is the base domain of `dns` resources, e.g. "apps.example.com".
	// Empty means "localhost".
	Domain string
	// Provisioners are the platform's own, tried in order before the
	// built-in ones.
	Provisioners []template.Provisioner
	// Environment are the platform's values of `environment` outputs, for
	// every workload; a workload's Deploy.Environment takes precedence.
	// EnvironmentField names where they are given, for messages.
	Environment      map[string]EnvValue
	EnvironmentField string
	// HTTPS says the hosts of `dns` resources are served over HTTPS, so
	// their url output is https://.
	HTTPS bool
	// Unread are workloads of the claim whose specs could not be read: a
	// `service` dependency on one is a warning, as on one that did not
	// convert, not "not part of this claim".
	Unread []string
	// Namespace, when set, is where every workload and every shared
	// resource goes, instead of a namespace per workload and
	// SharedNamespace. The caller owns it: no Namespace manifest is made
	// for it (a tenant's namespaces carry its own labels and policies).
	Namespace string
}

// Severity says whether a Problem stops its workload from converting.
type Severity int

// Severities. The zero value is deliberately neither, so a Problem built by
// hand without a severity does not pass for a warning.
const (
	// SeverityWarning marks something converted with a loss or a guess.
	SeverityWarning Severity = iota + 1
	// SeverityFatal marks something that stops the workload from converting.
	SeverityFatal
)

// String returns "warning" or "fatal".
func (s Severity) String() string {
	switch s {
	case SeverityWarning:
		return "warning"
	case SeverityFatal:
		return "fatal"
	}
	return fmt.Sprintf("Severity(%d)", int(s))
}

// MarshalText makes severities readable in JSON and YAML.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText accepts what MarshalText produces.
func (s *Severity) UnmarshalText(b []byte) error {
	switch string(b) {
	case "warning":
		*s = SeverityWarning
	case "fatal":
		*s = SeverityFatal
	default:
		return fmt.Errorf("unknown severity %q", b)
	}
	return nil
}

// Problem is something wrong with, or lost from, one workload's spec.
type Problem struct {
	Severity Severity
	// Workload is the workload name.
	Workload string
	// Field is the path inside the Score spec, e.g. "containers.main.image"
	// or "resources.db.type". Empty when the problem is not about one field.
	Field string
	// Message says what is wrong and what is expected.
	Message string
	// Source is Workload.Source of the spec at fault.
	Source string
}

// Error formats the problem as "workload demo-app: containers.main.image:
// message (from <source>)".
func (p Problem) Error() string {
	var b strings.Builder
	if p.Workload != "" {
		b.WriteString("workload ")
		b.WriteString(p.Workload)
		b.WriteString(": ")
	}
	if p.Field != "" {
		b.WriteString(p.Field)
		b.WriteString(": ")
	}
	b.WriteString(p.Message)
	if p.Source != "" {
		b.WriteString(" (from ")
		b.WriteString(p.Source)
		b.WriteString(")")
	}
	return b.String()
}

// Manifest is one Kubernetes object holding JSON-compatible values only.
type Manifest = manifest.Manifest

// TemplateProvisioner is a platform-defined provisioner in score-k8s'
// template format (fn/score/template), fn/score's own type, which
// fn/settings maps the function Input onto.
type TemplateProvisioner = template.Provisioner

// GeneratedSecret is a Secret whose values the caller must generate on the
// target cluster (provision.GeneratedSecret).
type GeneratedSecret = provision.GeneratedSecret

// Htpasswd asks for an htpasswd line in a GeneratedSecret.
type Htpasswd = provision.Htpasswd

// WorkloadOutput is one converted workload.
type WorkloadOutput struct {
	Name      string
	Namespace string
	// Manifests are ordered: Namespace, then by kind (Secret, ConfigMap,
	// PersistentVolumeClaim, Service, Deployment and StatefulSet, HTTPRoute),
	// then by name.
	Manifests []Manifest
	// Secrets are sorted by namespace, then name.
	Secrets []GeneratedSecret
	// URL is "http://<host><path>" of the workload's first route (by
	// resource name), or "" when it has none.
	URL string
	// FailedDependencies are the workloads it depends on (`service`
	// resources) that did not convert, sorted.
	FailedDependencies []string `json:",omitempty"`
}

// Output is the result of Convert.
type Output struct {
	// Workloads are sorted by name. A workload with a Fatal problem is left
	// out; the others still convert.
	Workloads []WorkloadOutput
	// Shared holds the manifests of shared resources, provisioned once in
	// SharedNamespace for all workloads that declare them.
	Shared        []Manifest
	SharedSecrets []GeneratedSecret
	// Problems are sorted by workload, field, severity and message.
	Problems []Problem
}
