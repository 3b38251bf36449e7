package template

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"strings"
	gotemplate "text/template"

	"github.com/platformcluster/function-platform-cluster/fn/score/manifest"
	"github.com/platformcluster/function-platform-cluster/fn/score/provision"
	"github.com/platformcluster/function-platform-cluster/fn/sorted"
)

// networkService and servicePort are what score-k8s gives templates in
// .WorkloadServices, with the same field names.
type networkService struct {
	ServiceName string
	Ports       map[string]servicePortInfo
}

type servicePortInfo struct {
	Name       string
	Port       int
	TargetPort int
	Protocol   string
}

// templateData is what each template sees, with score-k8s' field names.
type templateData struct {
	Guid, Uid, Type, Class, Id string
	Params, Metadata           map[string]any
	Init, State, Shared        map[string]any
	SourceWorkload             string
	WorkloadMetadata           map[string]any
	WorkloadServices           map[string]networkService
	Namespace                  string
}

// templateRun is one provisioning by a template provisioner.
type templateRun struct {
	tp   *Provisioner
	conv *conversion
	ctx  provision.Context
	r    *provision.Request
	rnd  *rand.Rand
}

// provision evaluates the templates for one resource. Every failure is a
// Fatal problem on the resource naming the provisioner and the template.
func (p *running) Provision(ctx provision.Context, r *provision.Request) *provision.Result {
	tp := p.spec
	run := &templateRun{tp: tp, conv: p.conv, ctx: ctx, r: r, rnd: rand.New(rand.NewChaCha8(sha256.Sum256([]byte(tp.URI + "\x00" + string(r.UID)))))}
	res, err := run.evaluate()
	if err != nil {
		ctx.Fatal(r.Field, "provisioner %s: %v", tp.URI, err)
		return provision.FailedResult(r.Resource.Type)
	}
	return res
}

func (run *templateRun) fail(field string, format string, args ...any) error {
	return fmt.Errorf("%s: %s", field, fmt.Sprintf(format, args...))
}

func (run *templateRun) evaluate() (*provision.Result, error) {
	r, t := run.r, run.r.Target
	workload, metadata := run.ctx.Workload()
	data := &templateData{
		Guid:             guid(string(r.UID)),
		Uid:              string(r.UID),
		Type:             r.Resource.Type,
		Class:            provision.ClassOf(r.Resource.Class),
		Id:               r.UID.Id(),
		Params:           templateValues(r.Params),
		Metadata:         templateValues(r.Resource.Metadata),
		State:            map[string]any{},
		Shared:           run.conv.shared,
		SourceWorkload:   workload,
		WorkloadMetadata: templateValues(metadata),
		WorkloadServices: workloadServices(run.ctx.Services(), t.Namespace),
		Namespace:        t.Namespace,
	}
	var err error
	if data.Init, err = run.renderMap("init", run.tp.Init, data); err != nil {
		return nil, err
	}
	if data.State, err = run.renderMap("state", run.tp.State, data); err != nil {
		return nil, err
	}
	shared, err := run.renderMap("shared", run.tp.Shared, data)
	if err != nil {
		return nil, err
	}
	run.conv.shared = patchMap(run.conv.shared, shared)
	data.Shared = run.conv.shared
	rawOutputs, err := run.renderMap("outputs", run.tp.Outputs, data)
	if err != nil {
		return nil, err
	}
	rawManifests, err := run.render("manifests", run.tp.Manifests, data)
	if err != nil {
		return nil, err
	}
	p := &provision.Result{Outputs: map[string]provision.Output{}}
	secretValues, err := run.manifests(p, rawManifests)
	if err != nil {
		return nil, err
	}
	if src, ok := rawOutputs["source"].(map[string]any); ok {
		// As in score-k8s, a source output is what a container mounting
		// the resource gets.
		vs, err := volumeSource(src)
		if err != nil {
			return nil, run.fail("outputs.source", "is not a Kubernetes volume source: %v", err)
		}
		p.Volume = &provision.Volume{Source: vs}
	}
	for _, k := range sorted.Keys(rawOutputs) {
		o, err := run.output("outputs."+k, rawOutputs[k], secretValues, p)
		if err != nil {
			return nil, err
		}
		p.Outputs[k] = run.qualify("outputs."+k, o, p)
	}
	return p, nil
}

// qualify makes an output naming one of the provisioner's Services resolve
// from the workloads' namespaces when the resource is shared and so lives
// in SharedNamespace: score-k8s' templates output bare Service names, as
// it puts everything in one namespace. A name inside a longer output (a
// URI) cannot be rewritten safely and is warned about.
func (run *templateRun) qualify(field string, o provision.Output, p *provision.Result) provision.Output {
	t := run.r.Target
	if !t.Shared {
		return o
	}
	for _, m := range p.Manifests {
		kind, ns, name := manifest.Key(m)
		if kind != "Service" {
			continue
		}
		if o.Secret == nil && o.Parts == nil && o.Value == name {
			return provision.Plain(name + "." + ns + ".svc")
		}
		text := o.Value
		for _, seg := range o.Parts {
			text += "\x00" + seg.Text
		}
		if containsHost(text, name) {
			run.ctx.Warn(run.r.Field, "provisioner %s: %s names Service %s, which is in namespace %s with the shared resource; workloads reach it as %s.%s.svc", run.tp.URI, field, name, ns, name, ns)
		}
	}
	return o
}

// containsHost says whether host appears in s as a whole DNS name.
func containsHost(s, host string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], host)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(host)
		if (start == 0 || !isHostChar(s[start-1])) && (end == len(s) || !isHostChar(s[end]) && s[end] != '.') {
			return true
		}
		i = end
	}
}

func isHostChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.'
}

// render evaluates one template and decodes its YAML.
func (run *templateRun) render(field, text string, data *templateData) (any, error) {
	if strings.TrimSpace(text) == "" {
		return nil, nil
	}
	tmpl, err := gotemplate.New(field).Funcs(run.funcs()).Parse(text)
	if err != nil {
		return nil, run.fail(field, "the %s template does not parse: %v", field, err)
	}
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, data); err != nil {
		return nil, run.fail(field, "the %s template failed: %v", field, err)
	}
	if strings.TrimSpace(buf.String()) == "" {
		return nil, nil
	}
	v, err := decodeYAML(buf.Bytes())
	if err != nil {
		return nil, run.fail(field, "the %s template gave no valid YAML: %v", field, err)
	}
	return v, nil
}

func (run *templateRun) renderMap(field, text string, data *templateData) (map[string]any, error) {
	v, err := run.render(field, text, data)
	if err != nil || v == nil {
		return map[string]any{}, err
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, run.fail(field, "the %s template must give a YAML map, got %s", field, jsonText(v))
	}
	return m, nil
}

// guid is the resource's stable stand-in for score-k8s' random uuid.
func guid(uid string) string {
	h := sha256.Sum256([]byte("guid\x00" + uid))
	x := hex.EncodeToString(h[:16])
	return x[:8] + "-" + x[8:12] + "-" + x[12:16] + "-" + x[16:20] + "-" + x[20:32]
}

// workloadServices is .WorkloadServices as seen from namespace: a Service in
// another namespace is named with it, so the name resolves from there.
func workloadServices(services map[string]provision.Service, namespace string) map[string]networkService {
	out := make(map[string]networkService, len(services))
	for name, svc := range services {
		ns := networkService{ServiceName: svc.Name, Ports: make(map[string]servicePortInfo, len(svc.Ports))}
		if svc.Namespace != namespace {
			ns.ServiceName = svc.Host()
		}
		for _, p := range svc.Ports {
			ns.Ports[p.Name] = servicePortInfo{Name: p.Name, Port: int(p.Port), TargetPort: int(p.TargetPort), Protocol: string(p.Protocol)}
		}
		out[name] = ns
	}
	return out
}
