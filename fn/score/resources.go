package score

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
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

// sharedResource is one resource with an id, declared by one or more
// workloads and provisioned once.
type sharedResource struct {
	uid      framework.ResourceUid
	source   string // first workload, by name, that declares it
	resName  string // its name in the source workload
	res      scoretypes.Resource
	users    []string
	prov     *provisioned
	visiting bool
}

// registerShared records the shared resources of every workload. The first
// workload by name provisions each; later ones must declare the same params.
func (c *converter) registerShared() {
	for _, name := range sortedKeys(c.ctxs) {
		w := c.ctxs[name]
		for _, rname := range sortedKeys(w.p.spec.Resources) {
			res := w.p.spec.Resources[rname]
			if res.Id == nil || !sharableTypes[res.Type] {
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

func (w *workloadCtx) sharedResource(name string, res scoretypes.Resource) *provisioned {
	field := "resources." + name
	uid := framework.NewResourceUid(w.p.name, name, res.Type, res.Class, res.Id)
	s, ok := w.c.shared[uid]
	if !ok {
		// Not registered: the workload was added after registration, which
		// Convert never does.
		w.d.fatal(field, "internal error: shared resource %s is not registered", uid)
		return failedResource(res.Type)
	}
	if s.prov == nil {
		if s.visiting {
			w.d.fatal(field+".params", "%v", errCycle)
			return failedResource(res.Type)
		}
		s.visiting = true
		src := w.c.ctxs[s.source]
		s.prov = src.provision(s.resName, s.res, uid, sharedTarget(res.Type, s.res.Class, *res.Id))
		s.visiting = false
	}
	p := s.prov
	if p.failed {
		if s.source != w.p.name {
			w.d.fatal(field, "shared resource %s cannot be provisioned; see the problems of workload %q", uid, s.source)
		}
		return p
	}
	if p.consumerSecret != nil && !slices.ContainsFunc(w.secrets, func(g GeneratedSecret) bool { return g.Name == p.consumerSecret.Name }) {
		cp := *p.consumerSecret
		cp.Namespace = w.ns
		w.secrets = append(w.secrets, cp)
		w.manifests = append(w.manifests, secretManifest(w.ns, cp.Name))
	}
	return p
}

func sharedTarget(typ string, class *string, id string) target {
	parts := []string{typ, id}
	if class != nil && *class != "default" {
		// The class keeps resources of one type and id but different
		// classes apart; the hash keeps "a"+"b-c" apart from "a-b"+"c".
		parts = []string{typ, *class, id, shortHash(*class, 6)}
	}
	return target{
		namespace: SharedNamespace,
		shared:    true,
		base:      serviceName(maxStatefulSet, parts...),
		label:     id,
		ident:     id,
	}
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

// resolveParams substitutes placeholders in every string of params. Secret
// outputs are refused: params end up in manifests.
func (w *workloadCtx) resolveParams(field string, params map[string]any) (map[string]any, bool) {
	ok := true
	var walk func(path string, v any) any
	walk = func(path string, v any) any {
		switch t := v.(type) {
		case string:
			r, msgs := w.resolver.resolve(t)
			for _, m := range msgs {
				w.d.fatal(path, "%s", m)
			}
			if r == nil {
				ok = false
				return t
			}
			s, plain := r.plain()
			if !plain {
				w.d.fatal(path, "secret outputs cannot be used in resource params, which are not secret")
				ok = false
			}
			return s
		case map[string]any:
			out := make(map[string]any, len(t))
			for _, k := range sortedKeys(t) {
				out[k] = walk(path+"."+k, t[k])
			}
			return out
		case []any:
			out := make([]any, len(t))
			for i, e := range t {
				out[i] = walk(fmt.Sprintf("%s.%d", path, i), e)
			}
			return out
		}
		return v
	}
	out, _ := walk(field, map[string]any(params)).(map[string]any)
	return out, ok
}

// checkParams warns about params the resource type does not read.
func (w *workloadCtx) checkParams(field string, params map[string]any, known ...string) {
	for _, k := range sortedKeys(params) {
		if !slices.Contains(known, k) {
			supported := "none"
			if len(known) > 0 {
				supported = strings.Join(known, ", ")
			}
			w.d.warn(field+".params."+k, "not a param of this resource type (supported: %s); ignored", supported)
		}
	}
}

// paramString reads an optional string param.
func paramString(params map[string]any, key string) (string, bool, error) {
	v, ok := params[key]
	if !ok || v == nil {
		return "", false, nil
	}
	s, isString := v.(string)
	if !isString {
		return "", true, fmt.Errorf("must be a string, got %s", jsonText(v))
	}
	return s, true, nil
}

// paramPort reads a port param: a number, or a string that is a number or a
// port name.
func paramPort(params map[string]any, key string) (string, bool) {
	switch t := params[key].(type) {
	case json.Number:
		return t.String(), true
	case string:
		return t, true
	}
	return "", false
}

func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
