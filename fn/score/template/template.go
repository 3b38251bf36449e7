package template

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	gotemplate "text/template"

	"github.com/Masterminds/sprig/v3"
	corev1 "k8s.io/api/core/v1"
	kjson "sigs.k8s.io/json"
	"sigs.k8s.io/yaml"

	"github.com/platformcluster/function-platform-cluster/fn/score/manifest"
	"github.com/platformcluster/function-platform-cluster/fn/score/provision"
	"github.com/platformcluster/function-platform-cluster/fn/sorted"
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
//     workload's, or SharedNamespace for a resource with an id.
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

// decodeYAML decodes YAML into JSON values, numbers as int64 or float64 so
// that templates print 5432, not 5432.0 or 5.432e+03.
func decodeYAML(b []byte) (any, error) {
	j, err := yaml.YAMLToJSON(b)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(j))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return templateValue(v), nil
}

// templateValue converts json.Numbers, which the normalised spec holds, into
// int64 or float64, which sprig's arithmetic understands.
func templateValue(v any) any {
	switch t := v.(type) {
	case json.Number:
		if i, err := strconv.ParseInt(string(t), 10, 64); err == nil {
			return i
		}
		f, _ := strconv.ParseFloat(string(t), 64)
		return f
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			out[k] = templateValue(e)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = templateValue(e)
		}
		return out
	}
	return v
}

func templateValues(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return templateValue(m).(map[string]any)
}

// patchMap applies a JSON merge patch (RFC 7386) to a copy of current, as
// score-k8s does with the shared template's result.
func patchMap(current, patch map[string]any) map[string]any {
	if len(patch) == 0 {
		return current
	}
	out := maps.Clone(current)
	if out == nil {
		out = map[string]any{}
	}
	for k, v := range patch {
		pm, isMap := v.(map[string]any)
		switch {
		case v == nil:
			delete(out, k)
		case isMap:
			cm, _ := out[k].(map[string]any)
			out[k] = patchMap(cm, pm)
		default:
			out[k] = v
		}
	}
	return out
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

// sprigFuncs is sprig's function map, built once.
var sprigFuncs = sync.OnceValue(func() gotemplate.FuncMap { return sprig.TxtFuncMap() })

const (
	alphaChars    = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	numericChars  = "0123456789"
	alphaNumChars = alphaChars + numericChars
)

// funcs are sprig's functions with those that draw randomness made stable,
// those that read the clock or make key material made to fail, and
// score-k8s' encodeSecretRef.
func (run *templateRun) funcs() gotemplate.FuncMap {
	f := make(gotemplate.FuncMap, len(sprigFuncs())+16)
	maps.Copy(f, sprigFuncs())
	draw := func(chars string) func(int) string {
		return func(n int) string {
			b := make([]byte, max(n, 0))
			for i := range b {
				b[i] = chars[run.rnd.IntN(len(chars))]
			}
			s := string(b)
			run.conv.randoms[s] = true
			return s
		}
	}
	f["randAlpha"] = draw(alphaChars)
	f["randAlphaNum"] = draw(alphaNumChars)
	f["randNumeric"] = draw(numericChars)
	var ascii strings.Builder
	for c := byte(32); c < 127; c++ {
		ascii.WriteByte(c)
	}
	f["randAscii"] = draw(ascii.String())
	f["randBytes"] = func(n int) (string, error) {
		b := make([]byte, max(n, 0))
		for i := range b {
			b[i] = byte(run.rnd.IntN(256))
		}
		s := base64.StdEncoding.EncodeToString(b)
		run.conv.randoms[s] = true
		return s, nil
	}
	f["randInt"] = func(lo, hi int) int {
		if hi <= lo {
			return lo
		}
		return lo + run.rnd.IntN(hi-lo)
	}
	f["uuidv4"] = func() string {
		var b [16]byte
		for i := range b {
			b[i] = byte(run.rnd.IntN(256))
		}
		s := hex.EncodeToString(b[:])
		s = s[:8] + "-" + s[8:12] + "-" + s[12:16] + "-" + s[16:20] + "-" + s[20:]
		run.conv.randoms[s] = true
		return s
	}
	refuse := func(name, why string) {
		f[name] = func(...any) (string, error) { return "", fmt.Errorf("%s is not available here: %s", name, why) }
	}
	for _, name := range []string{"now", "shuffle"} {
		refuse(name, "the output must be the same on every reconcile")
	}
	for _, name := range []string{"genPrivateKey", "genCA", "genCAWithKey", "genSelfSignedCert", "genSelfSignedCertWithKey", "genSignedCert", "genSignedCertWithKey", "derivePassword", "encryptAES", "decryptAES", "bcrypt", "htpasswd"} {
		refuse(name, "it would write key material or a password hash into a manifest in plain text; generate credentials with a Secret whose values come from randAlphaNum")
	}
	f["encodeSecretRef"] = func(secret, key string) string { return secretMarkerPrefix + secret + "_" + key + secretMarkerSuffix }
	return f
}

// score-k8s' encoding of a reference to a Secret key inside an output.
const (
	secretMarkerPrefix = "🔐💬"
	secretMarkerSuffix = "💬🔐"
)

// generatedValue is a drawn value a Secret manifest holds, and the key
// generated in its place.
type generatedValue struct {
	value string
	ref   provision.SecretRef
}

// minSecretLength keeps short drawn values, which would match too much
// text, from standing for secrets.
const minSecretLength = 8

// manifests checks and places the rendered manifests and turns their
// Secrets into generated ones. It returns the drawn values those Secrets
// held, longest first.
func (run *templateRun) manifests(p *provision.Result, raw any) ([]generatedValue, error) {
	if raw == nil {
		return nil, nil
	}
	list, ok := raw.([]any)
	if !ok {
		return nil, run.fail("manifests", "the manifests template must give a YAML list, got %s", jsonText(raw))
	}
	t := run.r.Target
	var values []generatedValue
	for i, e := range list {
		field := fmt.Sprintf("manifests[%d]", i)
		m, ok := e.(map[string]any)
		if !ok {
			return nil, run.fail(field, "must be a Kubernetes object, got %s", jsonText(e))
		}
		m = dropNulls(m).(map[string]any)
		apiVersion, _ := m["apiVersion"].(string)
		kind, _ := m["kind"].(string)
		md, _ := m["metadata"].(map[string]any)
		name, _ := md["name"].(string)
		switch {
		case apiVersion == "" || kind == "":
			return nil, run.fail(field, "needs apiVersion and kind")
		case name == "":
			return nil, run.fail(field+".metadata.name", "is required")
		case clusterScoped[kind]:
			return nil, run.fail(field+".kind", "%s is cluster scoped; provisioners may only create objects in the resource's namespace %s", kind, t.Namespace)
		}
		if ns, set := md["namespace"]; set && ns != t.Namespace {
			return nil, run.fail(field+".metadata.namespace", "is %s; provisioners may only create objects in the resource's namespace %s (.Namespace)", jsonText(ns), t.Namespace)
		}
		md["namespace"] = t.Namespace
		if apiVersion == "v1" && kind == "Secret" {
			vs, err := run.secret(field, m, name, p)
			if err != nil {
				return nil, err
			}
			values = append(values, vs...)
		}
		p.Manifests = append(p.Manifests, m)
	}
	slices.SortStableFunc(values, func(a, b generatedValue) int { return len(b.value) - len(a.value) })
	for i, m := range p.Manifests {
		if kind, _, _ := manifest.Key(m); kind == "Secret" {
			continue
		}
		if path, v, found := findValue(m, values); found {
			return nil, run.fail(fmt.Sprintf("manifests[%d]%s", i, path), "holds the value of Secret %s key %s in plain text; read it from the Secret (secretKeyRef, envFrom, a secret volume)", v.ref.Name, v.ref.Key)
		}
		if path, found := findMarker(m); found {
			return nil, run.fail(fmt.Sprintf("manifests[%d]%s", i, path), "encodeSecretRef works in outputs only; in a manifest, read the Secret with secretKeyRef")
		}
	}
	return values, nil
}

// secret strips the values of a Secret manifest and lists its keys for the
// generator Job, which creates them on the cluster.
func (run *templateRun) secret(field string, m map[string]any, name string, p *provision.Result) ([]generatedValue, error) {
	if typ, set := m["type"]; set && typ != "Opaque" {
		return nil, run.fail(field+".type", "is %s; only Opaque Secrets can be generated on the cluster", jsonText(typ))
	}
	var values []generatedValue
	var keys []string
	for _, section := range []string{"data", "stringData"} {
		raw, set := m[section]
		if !set {
			continue
		}
		data, ok := raw.(map[string]any)
		if !ok {
			return nil, run.fail(field+"."+section, "must be a map")
		}
		for _, k := range sorted.Keys(data) {
			kfield := field + "." + section + "." + k
			s, ok := data[k].(string)
			if !ok {
				return nil, run.fail(kfield, "must be a string")
			}
			if section == "data" {
				b, err := base64.StdEncoding.DecodeString(s)
				if err != nil {
					return nil, run.fail(kfield, "is not base64")
				}
				s = string(b)
			}
			if !run.conv.randoms[s] || len(s) < minSecretLength {
				return nil, run.fail(kfield, "a Secret's values never reach the cluster from here, where they would be in plain text: each key must hold a value drawn with randAlphaNum (or another random function, at least %d characters), and the cluster generates a fresh random value in its place. Put values that are not secret in a ConfigMap or the workload's variables", minSecretLength)
			}
			if !slices.Contains(keys, k) {
				keys = append(keys, k)
			}
			values = append(values, generatedValue{value: s, ref: provision.SecretRef{Name: name, Key: k}})
		}
		delete(m, section)
	}
	if len(keys) == 0 {
		return nil, nil
	}
	slices.Sort(keys)
	t := run.r.Target
	p.Secrets = append(p.Secrets, provision.GeneratedSecret{Namespace: t.Namespace, Name: name, Keys: keys})
	if t.Shared {
		p.ConsumerSecrets = append(p.ConsumerSecrets, provision.GeneratedSecret{Name: name, Keys: keys})
	}
	return values, nil
}

// output converts one rendered output into an output: encodeSecretRef
// markers and drawn Secret values become Secret references, anything that
// is not a string becomes its JSON text.
func (run *templateRun) output(field string, v any, values []generatedValue, p *provision.Result) (provision.Output, error) {
	s, isString := v.(string)
	if !isString {
		return provision.Plain(jsonText(v)), nil
	}
	var parts provision.Text
	for s != "" {
		i := strings.Index(s, secretMarkerPrefix)
		if i < 0 {
			parts = append(parts, replaceValues(s, values)...)
			break
		}
		j := strings.Index(s[i:], secretMarkerSuffix)
		if j < 0 {
			return provision.Output{}, run.fail(field, "has an unterminated secret reference")
		}
		parts = append(parts, replaceValues(s[:i], values)...)
		name, key, ok := strings.Cut(s[i+len(secretMarkerPrefix):i+j], "_")
		if !ok || name == "" || key == "" {
			return provision.Output{}, run.fail(field, "has a secret reference without a name and key")
		}
		if run.r.Target.Shared && !slices.ContainsFunc(p.Secrets, func(g provision.GeneratedSecret) bool { return g.Name == name && slices.Contains(g.Keys, key) }) {
			return provision.Output{}, run.fail(field, "refers to Secret %s key %s, which the provisioner does not generate; a shared resource's Secrets must be generated so they can be copied to each workload's namespace", name, key)
		}
		parts = append(parts, provision.Segment{Secret: &provision.SecretRef{Name: name, Key: key}})
		s = s[i+j+len(secretMarkerSuffix):]
	}
	if s, ok := parts.Plain(); ok {
		return provision.Plain(s), nil
	}
	if ref, ok := parts.WholeSecret(); ok {
		return provision.Output{Secret: ref}, nil
	}
	return provision.Output{Parts: parts}, nil
}

// replaceValues splits s around the drawn Secret values it holds.
func replaceValues(s string, values []generatedValue) provision.Text {
	if s == "" {
		return nil
	}
	for _, v := range values {
		if i := strings.Index(s, v.value); i >= 0 {
			ref := v.ref
			out := replaceValues(s[:i], values)
			out = append(out, provision.Segment{Secret: &ref})
			return append(out, replaceValues(s[i+len(v.value):], values)...)
		}
	}
	return provision.Text{{Text: s}}
}

// findValue finds a drawn Secret value in any string of v.
func findValue(v any, values []generatedValue) (string, generatedValue, bool) {
	var found generatedValue
	path, ok := walkStrings(v, "", func(s string) bool {
		for _, gv := range values {
			if strings.Contains(s, gv.value) {
				found = gv
				return true
			}
		}
		return false
	})
	return path, found, ok
}

func findMarker(v any) (string, bool) {
	return walkStrings(v, "", func(s string) bool { return strings.Contains(s, secretMarkerPrefix) })
}

// walkStrings returns the path of the first string, in key order, for
// which match is true.
func walkStrings(v any, path string, match func(string) bool) (string, bool) {
	switch t := v.(type) {
	case string:
		return path, match(t)
	case map[string]any:
		for _, k := range sorted.Keys(t) {
			if p, ok := walkStrings(t[k], path+"."+k, match); ok {
				return p, true
			}
		}
	case []any:
		for i, e := range t {
			if p, ok := walkStrings(e, fmt.Sprintf("%s[%d]", path, i), match); ok {
				return p, true
			}
		}
	}
	return "", false
}

// dropNulls removes null values, which Kubernetes ignores but the checks
// of a manifest's JSON types refuse.
func dropNulls(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			if e == nil {
				delete(t, k)
				continue
			}
			t[k] = dropNulls(e)
		}
	case []any:
		for i, e := range t {
			t[i] = dropNulls(e)
		}
	}
	return v
}

// clusterScoped are the usual cluster-scoped kinds. A provisioner creating
// one would act outside its resource's namespace, where one workload could
// change what others rely on.
var clusterScoped = map[string]bool{
	"APIService": true, "CertificateSigningRequest": true, "ClusterIssuer": true, "ClusterRole": true,
	"ClusterRoleBinding": true, "CustomResourceDefinition": true, "IngressClass": true,
	"MutatingWebhookConfiguration": true, "Namespace": true, "Node": true, "PersistentVolume": true,
	"PriorityClass": true, "RuntimeClass": true, "StorageClass": true, "ValidatingWebhookConfiguration": true,
	"GatewayClass": true, "ClusterUsage": true,
}

func volumeSource(m map[string]any) (*corev1.VolumeSource, error) {
	raw, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	vs := &corev1.VolumeSource{}
	strict, err := kjson.UnmarshalStrict(raw, vs)
	if err != nil {
		return nil, err
	}
	if len(strict) > 0 {
		return nil, strict[0]
	}
	if reflect.ValueOf(*vs).IsZero() {
		return nil, fmt.Errorf("it names no kind of volume")
	}
	return vs, nil
}

func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
