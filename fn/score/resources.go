package score

import (
	"errors"
	"slices"
	"strings"

	"github.com/score-spec/score-go/framework"
	scoretypes "github.com/score-spec/score-go/types"
)

// supportedTypes are the resource types this package provisions, sorted.
var supportedTypes = []string{"dns", "mysql", "postgres", "redis", "route", "service-port", "volume"}

// sharableTypes may be shared between workloads with an `id`. Routes and
// service ports belong to one workload by nature, and volumes cannot be
// mounted across namespaces.
var sharableTypes = map[string]bool{"dns": true, "mysql": true, "postgres": true, "redis": true}

// errCycle means resource params refer to each other.
var errCycle = errors.New("the params of resources refer to each other in a cycle")

// provisioned is a resource after provisioning.
type provisioned struct {
	uid     framework.ResourceUid
	typ     string
	failed  bool
	shared  bool
	outputs map[string]output
	// manifests and secrets live in the resource's own namespace: the
	// workload's, or SharedNamespace.
	manifests []Manifest
	secrets   []GeneratedSecret
	// consumerSecret is, for a shared resource with secret outputs, the
	// Secret each consuming namespace needs a copy of.
	consumerSecret *GeneratedSecret
	volume         *volumeResource
	route          *routeInfo
}

func failedResource(typ string) *provisioned { return &provisioned{typ: typ, failed: true} }

// target says where and under which names a resource is provisioned.
type target struct {
	namespace string
	shared    bool
	// base names the resource's objects (Secret, Service, StatefulSet).
	base string
	// label is the DNS label a dns resource gets under the domain.
	label string
	// ident is what database and user names derive from.
	ident string
}

// resource returns the named resource of w, provisioning it on first use.
func (w *workloadCtx) resource(name string) (*provisioned, error) {
	if p, ok := w.resources[name]; ok {
		if p == nil {
			return nil, errCycle
		}
		if p.failed {
			return p, errResourceFailed
		}
		return p, nil
	}
	res, ok := w.p.spec.Resources[name]
	if !ok {
		return nil, errNoResource
	}
	w.resources[name] = nil
	p := w.provisionNamed(name, res)
	w.resources[name] = p
	if p.failed {
		return p, errResourceFailed
	}
	return p, nil
}

func (w *workloadCtx) provisionNamed(name string, res scoretypes.Resource) *provisioned {
	field := "resources." + name
	if !slices.Contains(supportedTypes, res.Type) {
		w.d.fatal(field+".type", "unsupported resource type %q; supported: %s", res.Type, strings.Join(supportedTypes, ", "))
		return failedResource(res.Type)
	}
	if res.Id != nil && sharableTypes[res.Type] {
		return w.sharedResource(name, res)
	}
	if res.Id != nil {
		w.d.warn(field+".id", "%s resources cannot be shared between workloads, which each run in their own namespace; the id is ignored and the resource belongs to this workload", res.Type)
	}
	uid := framework.NewResourceUid(w.p.name, name, res.Type, res.Class, nil)
	t := target{
		namespace: w.ns,
		base:      serviceName(maxStatefulSet, w.p.name, name),
		label:     stableName(maxLabel, w.p.name, name),
		ident:     name,
	}
	return w.provision(name, res, uid, t)
}

// provision resolves the params of res in w's context and provisions it.
func (w *workloadCtx) provision(name string, res scoretypes.Resource, uid framework.ResourceUid, t target) *provisioned {
	field := "resources." + name
	params, ok := w.resolveParams(field+".params", res.Params)
	if !ok {
		return failedResource(res.Type)
	}
	// A provisioner reports every problem it finds before giving up; any
	// Fatal among them fails the resource.
	before := w.d.fatalCount()
	var p *provisioned
	switch res.Type {
	case "dns":
		p = w.provisionDNS(field, params, t)
	case "route":
		p = w.provisionRoute(field, name, params)
	case "service-port":
		p = w.provisionServicePort(field, params)
	case "volume":
		p = w.provisionVolume(field, name, res.Class, params)
	case "postgres", "mysql", "redis":
		p = w.provisionDatabase(field, databases[res.Type], params, t)
	default:
		w.d.fatal(field+".type", "internal error: no provisioner for %q", res.Type)
		p = failedResource(res.Type)
	}
	p.uid = uid
	p.typ = res.Type
	p.shared = t.shared
	if w.d.fatalCount() > before {
		p.failed = true
	}
	for i := range p.secrets {
		p.secrets[i].Resource = string(uid)
	}
	if p.consumerSecret != nil {
		p.consumerSecret.Resource = string(uid)
	}
	return p
}
