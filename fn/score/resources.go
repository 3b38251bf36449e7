package score

import (
	"errors"

	"github.com/score-spec/score-go/framework"
	scoretypes "github.com/score-spec/score-go/types"

	"github.com/platformcluster/function-platform-cluster/fn/score/provision"

	"github.com/platformcluster/function-platform-cluster/fn/score/names"
)

// errCycle means resource params refer to each other.
var errCycle = errors.New("the params of resources refer to each other in a cycle")

// resource returns the named resource of w, provisioning it on first use.
func (w *workloadCtx) resource(name string) (*provision.Result, error) {
	if p, ok := w.resources[name]; ok {
		if p == nil {
			return nil, errCycle
		}
		if p.Failed {
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
	if p.Failed {
		return p, errResourceFailed
	}
	return p, nil
}

func (w *workloadCtx) provisionNamed(name string, res scoretypes.Resource) *provision.Result {
	field := "resources." + name
	prov := w.c.reg.find(res)
	if prov == nil {
		w.d.fatal(field+".type", "%s", w.c.reg.unsupported(res))
		return provision.FailedResult(res.Type)
	}
	if res.Id != nil && prov.Sharable {
		return w.sharedResource(name, res, prov)
	}
	if res.Id != nil && !prov.IDNamesTarget {
		w.d.warn(field+".id", "%s resources cannot be shared between workloads, which each run in their own namespace; the id is ignored and the resource belongs to this workload", res.Type)
	}
	uid := framework.NewResourceUid(w.p.name, name, res.Type, res.Class, nil)
	t := provision.Target{
		Namespace: w.ns,
		Base:      names.Service(names.MaxStatefulSet, w.p.name, name),
		Label:     names.Stable(names.MaxLabel, w.p.name, name),
		Ident:     name,
	}
	return w.provision(prov, name, res, uid, t)
}

// provision resolves the params of res in w's context and provisions it.
func (w *workloadCtx) provision(prov *row, name string, res scoretypes.Resource, uid framework.ResourceUid, t provision.Target) *provision.Result {
	field := "resources." + name
	params, ok := w.resolveParams(field+".params", res.Params)
	if !ok {
		return provision.FailedResult(res.Type)
	}
	if prov.CheckParams {
		w.checkParams(field, params, prov.Params...)
	}
	// A provisioner reports every problem it finds before giving up; any
	// Fatal among them fails the resource.
	before := w.d.fatalCount()
	p := prov.Provision(w, &provision.Request{Field: field, Name: name, Resource: res, Params: params, UID: uid, Target: t})
	p.UID = uid
	p.Type = res.Type
	p.Shared = t.Shared
	if w.d.fatalCount() > before {
		p.Failed = true
	}
	// A resource's Secrets are told apart by name when it has several
	// (a template provisioner's); copies share their source's Resource.
	for i := range p.Secrets {
		p.Secrets[i].Resource = secretResource(uid, p.Secrets[i].Name, len(p.Secrets))
	}
	for i := range p.ConsumerSecrets {
		p.ConsumerSecrets[i].Resource = secretResource(uid, p.ConsumerSecrets[i].Name, len(p.Secrets))
	}
	return p
}

func secretResource(uid framework.ResourceUid, secret string, secrets int) string {
	if secrets > 1 {
		return string(uid) + "/" + secret
	}
	return string(uid)
}
