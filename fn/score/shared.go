package score

import (
	"reflect"
	"slices"

	"github.com/score-spec/score-go/framework"
	scoretypes "github.com/score-spec/score-go/types"

	"github.com/platformcluster/function-platform-cluster/fn/score/names"

	"github.com/platformcluster/function-platform-cluster/fn/score/manifest"

	"github.com/platformcluster/function-platform-cluster/fn/score/provision"
)

// sharedResource is one resource with an id, declared by one or more
// workloads and provisioned once.
type sharedResource struct {
	uid      framework.ResourceUid
	source   string // first workload, by name, that declares it
	resName  string // its name in the source workload
	res      scoretypes.Resource
	users    []string
	prov     *provision.Result
	visiting bool
}

// registerShared records the shared resources of every workload. The first
// workload by name provisions each; later ones must declare the same params.
func (c *converter) registerShared() {
	for _, name := range sortedKeys(c.ctxs) {
		w := c.ctxs[name]
		for _, rname := range sortedKeys(w.p.spec.Resources) {
			res := w.p.spec.Resources[rname]
			if res.Id == nil {
				continue
			}
			if p := c.reg.find(res); p == nil || !p.Sharable {
				continue
			}
			uid := framework.NewResourceUid(w.p.name, rname, res.Type, res.Class, res.Id)
			s, ok := c.shared[uid]
			if !ok {
				c.shared[uid] = &sharedResource{uid: uid, source: name, resName: rname, res: res, users: []string{name}}
				continue
			}
			if !slices.Contains(s.users, name) {
				s.users = append(s.users, name)
			}
			if !reflect.DeepEqual(paramsOrNil(s.res.Params), paramsOrNil(res.Params)) {
				w.d.fatal("resources."+rname+".params", "shared resource %s is also declared by workload %q (as %q) with different params; all declarations of a shared resource must agree", uid, s.source, s.resName)
			}
		}
	}
}

func paramsOrNil(p scoretypes.ResourceParams) map[string]any {
	if len(p) == 0 {
		return nil
	}
	return p
}

func (w *workloadCtx) sharedResource(name string, res scoretypes.Resource, prov *row) *provision.Result {
	field := "resources." + name
	uid := framework.NewResourceUid(w.p.name, name, res.Type, res.Class, res.Id)
	s, ok := w.c.shared[uid]
	if !ok {
		// Not registered: the workload was added after registration, which
		// Convert never does.
		w.d.fatal(field, "internal error: shared resource %s is not registered", uid)
		return provision.FailedResult(res.Type)
	}
	if s.prov == nil {
		if s.visiting {
			w.d.fatal(field+".params", "%v", errCycle)
			return provision.FailedResult(res.Type)
		}
		s.visiting = true
		src := w.c.ctxs[s.source]
		s.prov = src.provision(prov, s.resName, s.res, uid, sharedTarget(res.Type, s.res.Class, *res.Id, w.c.sharedNamespace()))
		s.visiting = false
	}
	p := s.prov
	if p.Failed {
		if s.source != w.p.name {
			w.d.fatal(field, "shared resource %s cannot be provisioned; see the problems of workload %q", uid, s.source)
		}
		return p
	}
	for _, cs := range p.ConsumerSecrets {
		// In one namespace for all (Options.Namespace) the workload reads
		// the resource's own Secret; a copy would collide with it.
		if w.ns == w.c.sharedNamespace() {
			break
		}
		if slices.ContainsFunc(w.secrets, func(g GeneratedSecret) bool { return g.Name == cs.Name }) {
			continue
		}
		cp := cs
		cp.Namespace = w.ns
		cp.Keys = slices.Clone(cp.Keys)
		w.secrets = append(w.secrets, cp)
		w.manifests = append(w.manifests, manifest.Secret(w.ns, cp.Name))
	}
	return p
}

func sharedTarget(typ string, class *string, id, namespace string) provision.Target {
	parts := []string{typ, id}
	if class != nil && *class != "default" {
		// The class keeps resources of one type and id but different
		// classes apart; the hash keeps "a"+"b-c" apart from "a-b"+"c".
		parts = []string{typ, *class, id, names.Hash(*class, 6)}
	}
	return provision.Target{
		Namespace: namespace,
		Shared:    true,
		Base:      names.Service(names.MaxStatefulSet, parts...),
		Label:     id,
		Ident:     id,
	}
}
