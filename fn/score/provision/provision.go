// Package provision is what passes between Score's converter and the
// provisioners of Score resources: the Provisioner interface, the request
// for one resource, and what provisioning it gives. The converter
// (fn/score) brings its built-in provisioners; fn/score/template runs a
// platform's own, in score-k8s' template format.
package provision

import (
	"github.com/score-spec/score-go/framework"
	scoretypes "github.com/score-spec/score-go/types"
	corev1 "k8s.io/api/core/v1"

	"github.com/platformcluster/function-platform-cluster/fn/score/manifest"
)

// Provisioner provisions the resources its Spec matches.
type Provisioner interface {
	// Spec says which resources it serves and how; it never changes.
	Spec() Spec
	// Provision provisions one resource. It reports every problem it finds
	// to ctx before giving up; any Fatal one fails the resource.
	Provision(ctx Context, r *Request) *Result
}

// Context is what a provisioner may ask of the conversion it runs in.
type Context interface {
	Warn(field, format string, args ...any)
	Fatal(field, format string, args ...any)
	// Workload is the name and metadata of the workload whose resource is
	// provisioned (for a shared resource, the first workload declaring it).
	Workload() (name string, metadata map[string]any)
	// Services are the Services of every workload of the conversion, by
	// workload name.
	Services() map[string]Service
}

// Service is a workload's Service as provisioners see it.
type Service struct {
	Name, Namespace string
	// Ports are sorted by name.
	Ports []ServicePort
}

// ServicePort is one port of a Service.
type ServicePort struct {
	Name             string
	Port, TargetPort int32
	Protocol         corev1.Protocol
}

// Host is the Service's DNS name, with its namespace.
func (s Service) Host() string { return s.Name + "." + s.Namespace + ".svc" }

// Spec is which resources a provisioner serves, by type, class and id, and
// how the converter treats them.
type Spec struct {
	// URI names the provisioner in messages: "builtin://<type>" or a
	// template provisioner's own uri.
	URI  string
	Type string
	// Class and ID match only resources with that class or id when set;
	// nil matches any, as in score-k8s.
	Class, ID *string
	// Params are the params the provisioner reads; any other is warned
	// about when CheckParams is set (a template provisioner declares them
	// only with supported_params).
	Params      []string
	CheckParams bool
	// Sharable says a resource with an id is provisioned once, for every
	// workload that declares it. Routes, service ports and volumes belong
	// to one workload by nature.
	Sharable bool
	// IDNamesTarget says the id is not a sharing key but names what the
	// resource points at (a `service` names another workload).
	IDNamesTarget bool
}

// Matches says whether the provisioner serves a resource.
func (s *Spec) Matches(typ string, class, id *string) bool {
	if s.Type != typ {
		return false
	}
	if s.Class != nil && ClassOf(class) != *s.Class {
		return false
	}
	return s.ID == nil || id != nil && *id == *s.ID
}

// ClassOf is a resource's class; Score's default is "default".
func ClassOf(class *string) string {
	if class == nil {
		return "default"
	}
	return *class
}

// Request is one resource to provision, with its params already resolved.
type Request struct {
	// Field is the resource's path in the Score spec ("resources.db"), for
	// messages; Name its name there.
	Field, Name string
	Resource    scoretypes.Resource
	Params      map[string]any
	UID         framework.ResourceUid
	Target      Target
}

// Target says where and under which names a resource is provisioned.
type Target struct {
	Namespace string
	// Shared says the resource has an id and serves every workload that
	// declares it, from a namespace of its own.
	Shared bool
	// Base names the resource's objects (Secret, Service, StatefulSet).
	Base string
	// Label is the DNS label a dns resource gets under the domain.
	Label string
	// Ident is what database and user names derive from.
	Ident string
}

// Result is a resource after provisioning.
type Result struct {
	UID    framework.ResourceUid
	Type   string
	Failed bool
	Shared bool
	// Outputs are what placeholders read, by output name.
	Outputs map[string]Output
	// Manifests and Secrets live in the resource's own namespace.
	Manifests []manifest.Manifest
	Secrets   []GeneratedSecret
	// ConsumerSecrets are, for a shared resource with secret outputs, the
	// Secrets each consuming namespace needs a copy of.
	ConsumerSecrets []GeneratedSecret
	// Volume is what a container mounting the resource gets; Route where
	// the workload is reachable.
	Volume *Volume
	Route  *Route
	// Hint says, for an output that does not exist, where it would come
	// from (an environment resource's values); BadOutputs say why an
	// output given there is unusable, by output name.
	Hint       string
	BadOutputs map[string]string
}

// FailedResult is the result of a resource that could not be provisioned.
func FailedResult(typ string) *Result { return &Result{Type: typ, Failed: true} }

// Volume is a volume resource: a volume source, an emptyDir, or a claim.
type Volume struct {
	Source    *corev1.VolumeSource
	EmptyDir  *corev1.EmptyDirVolumeSource
	Claim     *corev1.PersistentVolumeClaimSpec
	ClaimName string
}

// Route is where a route resource makes its workload reachable.
type Route struct {
	Host, Path string
}
