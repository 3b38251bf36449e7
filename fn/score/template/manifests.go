package template

import (
	"encoding/base64"
	"fmt"
	"slices"
	"strings"

	"github.com/platformcluster/function-platform-cluster/fn/score/manifest"
	"github.com/platformcluster/function-platform-cluster/fn/score/provision"
	"github.com/platformcluster/function-platform-cluster/fn/sorted"
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
