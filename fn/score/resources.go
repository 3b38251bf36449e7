package score

import (
	"errors"

	"github.com/score-spec/score-go/framework"
	scoretypes "github.com/score-spec/score-go/types"
)

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
	// consumerSecrets are, for a shared resource with secret outputs, the
	// Secrets each consuming namespace needs a copy of.
	consumerSecrets []GeneratedSecret
	volume          *volumeResource
	route           *routeInfo
	// hint says, for an output that does not exist, where it would come
	// from (an environment resource's values); badOutputs say why an
	// output given there is unusable, by output name.
	hint       string
	badOutputs map[string]string
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
	prov := w.c.reg.find(res)
	if prov == nil {
		w.d.fatal(field+".type", "%s", w.c.reg.unsupported(res))
		return failedResource(res.Type)
	}
	if res.Id != nil && prov.sharable {
		return w.sharedResource(name, res, prov)
	}
	if res.Id != nil && !prov.idNamesTarget {
		w.d.warn(field+".id", "%s resources cannot be shared between workloads, which each run in their own namespace; the id is ignored and the resource belongs to this workload", res.Type)
	}
	uid := framework.NewResourceUid(w.p.name, name, res.Type, res.Class, nil)
	t := target{
		namespace: w.ns,
		base:      serviceName(maxStatefulSet, w.p.name, name),
		label:     stableName(maxLabel, w.p.name, name),
		ident:     name,
	}
	return w.provision(prov, name, res, uid, t)
}

// provision resolves the params of res in w's context and provisions it.
func (w *workloadCtx) provision(prov *provisioner, name string, res scoretypes.Resource, uid framework.ResourceUid, t target) *provisioned {
	field := "resources." + name
	params, ok := w.resolveParams(field+".params", res.Params)
	if !ok {
		return failedResource(res.Type)
	}
	if prov.checkParams {
		w.checkParams(field, params, prov.params...)
	}
	// A provisioner reports every problem it finds before giving up; any
	// Fatal among them fails the resource.
	before := w.d.fatalCount()
	p := prov.provision(w, &request{field: field, name: name, res: res, params: params, uid: uid, t: t})
	p.uid = uid
	p.typ = res.Type
	p.shared = t.shared
	if w.d.fatalCount() > before {
		p.failed = true
	}
	// A resource's Secrets are told apart by name when it has several
	// (a template provisioner's); copies share their source's Resource.
	for i := range p.secrets {
		p.secrets[i].Resource = secretResource(uid, p.secrets[i].Name, len(p.secrets))
	}
	for i := range p.consumerSecrets {
		p.consumerSecrets[i].Resource = secretResource(uid, p.consumerSecrets[i].Name, len(p.secrets))
	}
	return p
}

func secretResource(uid framework.ResourceUid, secret string, secrets int) string {
	if secrets > 1 {
		return string(uid) + "/" + secret
	}
	return string(uid)
}
