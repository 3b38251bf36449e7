package helmcharts

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/crossplane/function-sdk-go/logging"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/resource"
	"google.golang.org/protobuf/types/known/structpb"
	"sigs.k8s.io/yaml"

	"github.com/platformcluster/function-platform-cluster/fn"
	"github.com/platformcluster/function-platform-cluster/fn/fntest"
)

// Claim is one XR and function Input whose Releases are rendered, with the
// resources Crossplane would fetch for it (matched by kind, name and
// namespace).
type Claim struct {
	Name     string
	XR       map[string]any
	Input    map[string]any
	Required []map[string]any
}

// WithAdminSecrets is the Input naming Grafana's and Harbor's admin Secrets.
const WithAdminSecrets = `{"apiVersion":"platformcluster.fn.crossplane.io/v1beta1","kind":"Input",` +
	`"grafana":{"adminSecretName":"grafana-admin"},"harbor":{"adminSecretName":"harbor-admin"}}`

func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// Claims are the example claims of example/render (with the Composition's
// Input and the required resources there) and the fntest fixtures, among
// them Harbor on under a published domain, with and without admin Secrets.
func Claims() ([]Claim, error) {
	root := repoRoot()
	comp, err := readYAML(filepath.Join(root, "package", "configuration", "composition.yaml"))
	if err != nil {
		return nil, err
	}
	input := comp[0]["spec"].(map[string]any)["pipeline"].([]any)[0].(map[string]any)["input"].(map[string]any)
	var required []map[string]any
	files, _ := filepath.Glob(filepath.Join(root, "example", "render", "required", "*.yaml"))
	for _, f := range files {
		docs, err := readYAML(f)
		if err != nil {
			return nil, err
		}
		required = append(required, docs...)
	}
	var cs []Claim
	for _, x := range []string{"xr.yaml", "xr-minimal.yaml"} {
		xr, err := readYAML(filepath.Join(root, "example", "render", x))
		if err != nil {
			return nil, err
		}
		cs = append(cs, Claim{Name: "example/render/" + x, XR: xr[0], Input: input, Required: required})
	}
	def := resource.MustStructJSON(fntest.Input).AsMap()
	for name, spec := range map[string]string{
		"fntest.Full": fntest.Full, "fntest.Large": fntest.Large(1), "fntest.Published": fntest.Published(1), "fntest.Mixed": fntest.Mixed(2),
	} {
		cs = append(cs, Claim{Name: name, XR: fntest.XR(spec).GetResource().AsMap(), Input: def})
	}
	cs = append(cs, Claim{
		Name: "fntest.Published with admin Secrets", XR: fntest.XR(fntest.Published(1)).GetResource().AsMap(),
		Input: resource.MustStructJSON(WithAdminSecrets).AsMap(), Required: AdminSecrets(),
	})
	sort.Slice(cs, func(i, j int) bool { return cs[i].Name < cs[j].Name })
	return cs, nil
}

// AdminSecrets stand in for the admin Secrets WithAdminSecrets names.
func AdminSecrets() []map[string]any {
	secret := func(name string, keys ...string) map[string]any {
		data := map[string]any{}
		for _, k := range keys {
			data[k] = "c3RhbmQtaW4=" // "stand-in"
		}
		md := map[string]any{"name": name, "namespace": "crossplane-system"}
		return map[string]any{"apiVersion": "v1", "kind": "Secret", "metadata": md, "data": data}
	}
	return []map[string]any{secret("grafana-admin", "admin-user", "admin-password"), secret("harbor-admin", "HARBOR_ADMIN_PASSWORD")}
}

// ComposedReleases runs the function until the claim's composition stops
// growing, every composed resource reported ready, and returns the
// provider-helm Releases it composes, in order of their names.
func (c Claim) ComposedReleases() ([]map[string]any, error) {
	f := fn.New(logging.NewNopLogger())
	xr, err := structpb.NewStruct(c.XR)
	if err != nil {
		return nil, err
	}
	in, err := structpb.NewStruct(c.Input)
	if err != nil {
		return nil, err
	}
	req := &fnv1.RunFunctionRequest{Input: in, Observed: &fnv1.State{Composite: &fnv1.Resource{Resource: xr}}}
	var rsp *fnv1.RunFunctionResponse
	for range 20 {
		if rsp, err = f.RunFunction(context.Background(), req); err != nil {
			return nil, err
		}
		for _, r := range rsp.GetResults() {
			if r.GetSeverity() == fnv1.Severity_SEVERITY_FATAL {
				return nil, errors.New(r.GetMessage())
			}
		}
		next := fntest.Observed(rsp, fntest.All, true)
		grown := len(next) != len(req.GetObserved().GetResources())
		fetched, err := fetch(rsp.GetRequirements(), c.Required)
		if err != nil {
			return nil, err
		}
		req = &fnv1.RunFunctionRequest{Input: in, Observed: &fnv1.State{Composite: req.GetObserved().GetComposite(), Resources: next}, RequiredResources: fetched}
		if !grown {
			break
		}
	}
	var out []map[string]any
	for _, r := range rsp.GetDesired().GetResources() {
		if o := r.GetResource().AsMap(); o["kind"] == "Release" {
			out = append(out, o)
		}
	}
	sort.Slice(out, func(i, j int) bool { return name(out[i]) < name(out[j]) })
	return out, nil
}

func name(o map[string]any) string { s, _ := o["metadata"].(map[string]any)["name"].(string); return s }

// fetch answers the function's requirements from the stand-ins, as
// Crossplane would from its API server.
func fetch(rs *fnv1.Requirements, have []map[string]any) (map[string]*fnv1.Resources, error) {
	out := map[string]*fnv1.Resources{}
	for key, sel := range rs.GetResources() {
		items := &fnv1.Resources{}
		for _, o := range have {
			md := o["metadata"].(map[string]any)
			if o["kind"] == sel.GetKind() && md["name"] == sel.GetMatchName() && md["namespace"] == sel.GetNamespace() {
				s, err := structpb.NewStruct(o)
				if err != nil {
					return nil, err
				}
				items.Items = append(items.Items, &fnv1.Resource{Resource: s})
			}
		}
		out[key] = items
	}
	return out, nil
}

// FromComposed is what provider-helm makes of a composed Release: the
// chart, the Helm release named by the external name, and its values, each
// value a Secret supplies (spec.forProvider.set[].valueFrom) stood in for
// by a placeholder naming the Secret and key.
func FromComposed(o map[string]any) (Release, error) {
	fp, _ := lookup(o, []string{"spec", "forProvider"}).(map[string]any)
	ch, _ := fp["chart"].(map[string]any)
	ext, _ := lookup(o, []string{"metadata", "annotations", "crossplane.io/external-name"}).(string)
	if ch == nil || ext == "" {
		return Release{}, fmt.Errorf("release %s has no chart or external name", name(o))
	}
	vals, _ := deepCopy(fp["values"]).(map[string]any)
	if vals == nil {
		vals = map[string]any{}
	}
	sets, _ := fp["set"].([]any)
	for _, s := range sets {
		s, _ := s.(map[string]any)
		ref, _ := lookup(s, []string{"valueFrom", "secretKeyRef"}).(map[string]any)
		path, _ := s["name"].(string)
		if ref == nil || path == "" {
			return Release{}, fmt.Errorf("release %s: set entry %v is not a value from a Secret", name(o), s)
		}
		setPath(vals, strings.Split(path, "."), fmt.Sprintf("from-secret-%s-%s", ref["name"], ref["key"]))
	}
	r := Release{Name: ext, Values: vals}
	r.Namespace, _ = fp["namespace"].(string)
	r.Chart, _ = ch["name"].(string)
	r.Version, _ = ch["version"].(string)
	return r, nil
}

// Rendered is one Release of one claim and what it renders to (or the
// template or values error).
type Rendered struct {
	Claim   string
	Release Release
	Objects []map[string]any
	Err     error
}

// RenderAll renders every Release of every claim (Claims); a Release that
// several claims compose alike is rendered once. It is computed once per
// process: the contract test, the secrets test and a live test read the
// same output.
var RenderAll = sync.OnceValues(renderAll)

func renderAll() ([]Rendered, error) {
	cs, err := Claims()
	if err != nil {
		return nil, err
	}
	var out []Rendered
	done := map[string]Rendered{}
	for _, c := range cs {
		rels, err := c.ComposedReleases()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", c.Name, err)
		}
		for _, o := range rels {
			r, err := FromComposed(o)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", c.Name, err)
			}
			key, _ := json.Marshal(r)
			d, ok := done[string(key)]
			if !ok {
				d.Objects, d.Err = Render(r)
				done[string(key)] = d
			}
			out = append(out, Rendered{Claim: c.Name, Release: r, Objects: d.Objects, Err: d.Err})
		}
	}
	return out, nil
}

// Objects returns every object the Releases of the example and test claims
// install on the new cluster, by claim and release: what a live test can
// server-side dry-run against an API server carrying the charts' CRDs.
func Objects() (map[string][]map[string]any, error) {
	rs, err := RenderAll()
	if err != nil {
		return nil, err
	}
	out := map[string][]map[string]any{}
	for _, r := range rs {
		if r.Err != nil {
			return nil, fmt.Errorf("%s: %w", r.Claim, r.Err)
		}
		out[r.Claim+": "+r.Release.Name] = r.Objects
	}
	return out, nil
}

func readYAML(path string) ([]map[string]any, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	docs, err := decode(string(b))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return docs, nil
}

func deepCopy(v any) any {
	b, err := yaml.Marshal(v)
	if err != nil {
		return nil
	}
	var out any
	if yaml.Unmarshal(b, &out) != nil {
		return nil
	}
	return out
}

// setPath sets a dotted Helm --set path (no list indexes; the function
// sets none).
func setPath(m map[string]any, path []string, v any) {
	for _, k := range path[:len(path)-1] {
		sub, ok := m[k].(map[string]any)
		if !ok {
			sub = map[string]any{}
			m[k] = sub
		}
		m = sub
	}
	m[path[len(path)-1]] = v
}
