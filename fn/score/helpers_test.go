package score

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/validation"
	gatewayv1 "sigs.k8s.io/gateway-api/apis/v1"
	kjson "sigs.k8s.io/json"
	"sigs.k8s.io/yaml"

	"github.com/platformcluster/function-platform-cluster/fn/score/manifest"

	"github.com/platformcluster/function-platform-cluster/fn/score/names"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// testOpts are the options most tests convert with.
var testOpts = Options{GatewayName: "platform", GatewayNamespace: "gateway", Domain: "apps.example.com"}

// spec decodes a YAML Score document the way the function decodes claims.
func spec(t testing.TB, doc string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := yaml.Unmarshal([]byte(doc), &m); err != nil {
		t.Fatalf("test spec is not YAML: %v\n%s", err, doc)
	}
	return m
}

// workload is a Workload named after its spec, with a Source for messages.
func workload(t testing.TB, doc string) Workload {
	t.Helper()
	return Workload{Spec: spec(t, doc), Source: "test"}
}

// convertCase is one conversion whose whole Output is compared with a
// golden file, and whose problems are also spelled out in the table so a
// reader sees what the case is about.
type convertCase struct {
	name      string
	workloads []string // Score documents
	names     []string // Workload.Name of each, when set
	opts      *Options // testOpts when nil
	problems  []Problem
	// check, when set, asserts the point of the case on top of the golden
	// comparison, so a wrongly regenerated golden file still fails.
	check func(t *testing.T, out Output)
}

// runCases converts each case, checks the invariants every output must meet,
// compares the problems with the table and the whole output with
// testdata/golden/<test>/<case>.yaml (rewritten with -update).
func runCases(t *testing.T, cases []convertCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var ws []Workload
			for i, doc := range tc.workloads {
				w := workload(t, doc)
				if i < len(tc.names) {
					w.Name = tc.names[i]
				}
				ws = append(ws, w)
			}
			opts := testOpts
			if tc.opts != nil {
				opts = *tc.opts
			}
			out := Convert(ws, opts)
			checkInvariants(t, ws, opts, out)
			if diff := cmp.Diff(tc.problems, out.Problems, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
			if tc.check != nil {
				tc.check(t, out)
			}
			compareGolden(t, out)
		})
	}
}

func goldenPath(t *testing.T) string {
	return filepath.Join("testdata", "golden", filepath.FromSlash(t.Name())+".yaml")
}

// compareGolden compares out with its golden file as decoded trees, so the
// diff names the fields that differ.
func compareGolden(t *testing.T, out Output) {
	t.Helper()
	got, err := yaml.Marshal(out)
	if err != nil {
		t.Fatalf("marshal output: %v", err)
	}
	path := goldenPath(t)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("no golden file (run go test -update): %v", err)
	}
	var wantTree, gotTree any
	if err := yaml.Unmarshal(want, &wantTree); err != nil {
		t.Fatalf("golden file %s: %v", path, err)
	}
	if err := yaml.Unmarshal(got, &gotTree); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(wantTree, gotTree); diff != "" {
		t.Errorf("output differs from %s (-want +got):\n%s", path, diff)
	}
}

// fatal and warning build expected problems of the "test" source.
func fatal(workload, field, msg string) Problem {
	return Problem{Severity: SeverityFatal, Workload: workload, Field: field, Message: msg, Source: "test"}
}

func warning(workload, field, msg string) Problem {
	return Problem{Severity: SeverityWarning, Workload: workload, Field: field, Message: msg, Source: "test"}
}

// checkInvariants asserts what must hold for every output.
func checkInvariants(t *testing.T, ws []Workload, opts Options, out Output) {
	t.Helper()
	for _, p := range out.Problems {
		if strings.Contains(p.Message, "internal error") {
			t.Errorf("internal error: %v", p)
		}
	}
	// Determinism: byte-identical output on a second run.
	first, _ := json.Marshal(out)
	again, _ := json.Marshal(Convert(ws, opts))
	if !bytes.Equal(first, again) {
		t.Errorf("a second conversion of the same input differs")
	}
	for i, w := range out.Workloads {
		if i > 0 && out.Workloads[i-1].Name >= w.Name {
			t.Errorf("workloads are not sorted by name")
		}
		checkManifests(t, w.Namespace, w.Manifests, w.Secrets)
	}
	checkManifests(t, SharedNamespace, out.Shared, out.SharedSecrets)
	checkSecretCopies(t, out)
}

// checkManifests strictly decodes each manifest into its Go type and checks
// names, namespaces, order and every reference between the manifests.
func checkManifests(t *testing.T, ns string, ms []Manifest, secrets []GeneratedSecret) {
	t.Helper()
	objects := map[string]any{}
	for i, m := range ms {
		checkJSONTypes(t, "manifest", m)
		kind, mns, name := manifest.Key(m)
		if kind == "Namespace" {
			if i != 0 || name != ns {
				t.Errorf("Namespace %s is not first or not %s", name, ns)
			}
		} else if mns != ns {
			t.Errorf("%s %s is in namespace %q, want %q", kind, name, mns, ns)
		}
		if i > 0 {
			pk, _, pn := manifest.Key(ms[i-1])
			if rank(pk) > rank(kind) || rank(pk) == rank(kind) && pn > name {
				t.Errorf("manifests out of order: %s %s before %s %s", pk, pn, kind, name)
			}
		}
		obj := decodeStrict(t, m)
		if errs := validation.IsDNS1123Label(name); len(errs) > 0 {
			t.Errorf("%s name %q: %v", kind, name, errs)
		}
		if kind == "Service" {
			if errs := validation.IsDNS1035Label(name); len(errs) > 0 {
				t.Errorf("Service name %q: %v", name, errs)
			}
		}
		if kind == "StatefulSet" && len(name) > names.MaxStatefulSet {
			t.Errorf("StatefulSet name %q is longer than %d", name, names.MaxStatefulSet)
		}
		key := kind + "/" + name
		if _, dup := objects[key]; dup {
			t.Errorf("%s is generated twice", key)
		}
		objects[key] = obj
	}
	checkSecrets(t, ns, objects, secrets)
	for key, obj := range objects {
		switch o := obj.(type) {
		case *appsv1.Deployment:
			checkPod(t, key, objects, secrets, o.Spec.Template.Spec, nil)
			checkSelector(t, key, o.Spec.Selector.MatchLabels, o.Spec.Template.Labels)
		case *appsv1.StatefulSet:
			checkPod(t, key, objects, secrets, o.Spec.Template.Spec, o.Spec.VolumeClaimTemplates)
			checkSelector(t, key, o.Spec.Selector.MatchLabels, o.Spec.Template.Labels)
			if _, ok := objects["Service/"+o.Spec.ServiceName]; !ok {
				t.Errorf("%s: serviceName %s has no Service", key, o.Spec.ServiceName)
			}
		case *gatewayv1.HTTPRoute:
			checkRoute(t, key, objects, o)
		}
	}
}

func checkSelector(t *testing.T, key string, selector, podLabels map[string]string) {
	for k, v := range selector {
		if podLabels[k] != v {
			t.Errorf("%s: selector %s=%s does not match the pod labels %v", key, k, v, podLabels)
		}
	}
}

// checkSecrets: every GeneratedSecret has a Secret manifest that carries no
// value for the generated keys.
func checkSecrets(t *testing.T, ns string, objects map[string]any, secrets []GeneratedSecret) {
	t.Helper()
	for i, g := range secrets {
		if i > 0 && (secrets[i-1].Namespace > g.Namespace || secrets[i-1].Namespace == g.Namespace && secrets[i-1].Name > g.Name) {
			t.Errorf("secrets are not sorted")
		}
		if g.Namespace != ns {
			t.Errorf("GeneratedSecret %s/%s is not in namespace %s", g.Namespace, g.Name, ns)
		}
		if !slices.IsSorted(g.Keys) || len(g.Keys) == 0 || g.Resource == "" {
			t.Errorf("GeneratedSecret %s/%s: keys %v must be sorted and non-empty, resource %q set", g.Namespace, g.Name, g.Keys, g.Resource)
		}
		s, ok := objects["Secret/"+g.Name].(*corev1.Secret)
		if !ok {
			t.Errorf("GeneratedSecret %s/%s has no Secret manifest", g.Namespace, g.Name)
			continue
		}
		for _, k := range g.Keys {
			if _, ok := s.Data[k]; ok {
				t.Errorf("Secret %s carries generated key %s in data", g.Name, k)
			}
			if _, ok := s.StringData[k]; ok {
				t.Errorf("Secret %s carries generated key %s in stringData", g.Name, k)
			}
		}
	}
}

// checkPod checks that everything the pod refers to exists next to it.
func checkPod(t *testing.T, key string, objects map[string]any, secrets []GeneratedSecret, pod corev1.PodSpec, templates []corev1.PersistentVolumeClaim) {
	t.Helper()
	secretKey := func(name, k string) bool {
		for _, g := range secrets {
			if g.Name == name && slices.Contains(g.Keys, k) {
				return true
			}
		}
		return false
	}
	volumes := map[string]bool{}
	for _, v := range pod.Volumes {
		volumes[v.Name] = true
		switch {
		case v.ConfigMap != nil:
			cm, ok := objects["ConfigMap/"+v.ConfigMap.Name].(*corev1.ConfigMap)
			if !ok {
				t.Errorf("%s: volume %s uses missing ConfigMap %s", key, v.Name, v.ConfigMap.Name)
				continue
			}
			for _, it := range v.ConfigMap.Items {
				_, d := cm.Data[it.Key]
				_, b := cm.BinaryData[it.Key]
				if !d && !b {
					t.Errorf("%s: ConfigMap %s has no key %s", key, cm.Name, it.Key)
				}
			}
		case v.Secret != nil:
			for _, it := range v.Secret.Items {
				if !secretKey(v.Secret.SecretName, it.Key) {
					t.Errorf("%s: volume %s uses secret %s key %s, which is not generated", key, v.Name, v.Secret.SecretName, it.Key)
				}
			}
		case v.PersistentVolumeClaim != nil:
			if _, ok := objects["PersistentVolumeClaim/"+v.PersistentVolumeClaim.ClaimName]; !ok {
				t.Errorf("%s: volume %s uses missing claim %s", key, v.Name, v.PersistentVolumeClaim.ClaimName)
			}
		case v.EmptyDir != nil:
		default:
			t.Errorf("%s: volume %s has an unexpected source", key, v.Name)
		}
	}
	for _, c := range templates {
		volumes[c.Name] = true
	}
	for i, c := range pod.Containers {
		if i > 0 && pod.Containers[i-1].Name >= c.Name {
			t.Errorf("%s: containers are not sorted by name", key)
		}
		defined := map[string]bool{}
		for _, e := range c.Env {
			if e.ValueFrom != nil && e.ValueFrom.SecretKeyRef != nil {
				r := e.ValueFrom.SecretKeyRef
				if !secretKey(r.Name, r.Key) {
					t.Errorf("%s: env %s reads secret %s key %s, which is not generated in this namespace", key, e.Name, r.Name, r.Key)
				}
			}
			for _, m := range regexp.MustCompile(`\$\(([^)]*)\)`).FindAllStringSubmatch(strings.ReplaceAll(e.Value, "$$", ""), -1) {
				if !defined[m[1]] {
					t.Errorf("%s: env %s refers to $(%s), which is not defined before it", key, e.Name, m[1])
				}
			}
			defined[e.Name] = true
		}
		for _, m := range c.VolumeMounts {
			if !volumes[m.Name] {
				t.Errorf("%s: mount %s uses missing volume %s", key, m.MountPath, m.Name)
			}
		}
	}
}

func checkRoute(t *testing.T, key string, objects map[string]any, r *gatewayv1.HTTPRoute) {
	t.Helper()
	for _, rule := range r.Spec.Rules {
		for _, b := range rule.BackendRefs {
			svc, ok := objects["Service/"+string(b.Name)].(*corev1.Service)
			if !ok {
				t.Errorf("%s: backend %s has no Service", key, b.Name)
				continue
			}
			if b.Port == nil || !slices.ContainsFunc(svc.Spec.Ports, func(p corev1.ServicePort) bool { return p.Port == *b.Port }) {
				t.Errorf("%s: backend port %v is not a port of Service %s", key, b.Port, svc.Name)
			}
		}
	}
}

// checkSecretCopies: a shared resource's Secret copies all belong to a
// shared Secret with the same Resource and at least the same keys.
func checkSecretCopies(t *testing.T, out Output) {
	t.Helper()
	for _, w := range out.Workloads {
		for _, g := range w.Secrets {
			if !strings.Contains(g.Resource, "#") || strings.Contains(g.Resource, "#"+w.Name+".") {
				continue
			}
			i := slices.IndexFunc(out.SharedSecrets, func(s GeneratedSecret) bool { return s.Resource == g.Resource })
			if i < 0 {
				t.Errorf("workload %s: secret %s copies shared resource %s, which has no shared secret", w.Name, g.Name, g.Resource)
				continue
			}
			for _, k := range g.Keys {
				if !slices.Contains(out.SharedSecrets[i].Keys, k) {
					t.Errorf("workload %s: secret %s key %s is not a key of the shared secret", w.Name, g.Name, k)
				}
			}
		}
	}
}

// decodeStrict decodes m into the Go type of its kind, refusing unknown and
// duplicate fields.
func decodeStrict(t *testing.T, m Manifest) any {
	t.Helper()
	kind, _, name := manifest.Key(m)
	apiVersion, _ := m["apiVersion"].(string)
	var obj any
	switch apiVersion + "/" + kind {
	case "v1/Namespace":
		obj = &corev1.Namespace{}
	case "v1/Secret":
		obj = &corev1.Secret{}
	case "v1/ConfigMap":
		obj = &corev1.ConfigMap{}
	case "v1/PersistentVolumeClaim":
		obj = &corev1.PersistentVolumeClaim{}
	case "v1/Service":
		obj = &corev1.Service{}
	case "apps/v1/Deployment":
		obj = &appsv1.Deployment{}
	case "apps/v1/StatefulSet":
		obj = &appsv1.StatefulSet{}
	case "gateway.networking.k8s.io/v1/HTTPRoute":
		obj = &gatewayv1.HTTPRoute{}
	case "batch/v1/Job":
		obj = &batchv1.Job{}
	default:
		// A platform provisioner's own kinds are not checked here.
		return m
	}
	raw, err := json.Marshal(m)
	if err != nil {
		t.Fatalf("%s %s: %v", kind, name, err)
	}
	strict, err := kjson.UnmarshalStrict(raw, obj)
	if err != nil || len(strict) > 0 {
		t.Errorf("%s %s does not decode strictly: %v %v", kind, name, err, strict)
	}
	return obj
}

// checkJSONTypes asserts a manifest holds JSON-compatible values only.
func checkJSONTypes(t *testing.T, path string, v any) {
	t.Helper()
	switch x := v.(type) {
	case string, bool, int64, float64:
	case []any:
		for i, e := range x {
			checkJSONTypes(t, fmt.Sprintf("%s[%d]", path, i), e)
		}
	case map[string]any:
		for k, e := range x {
			checkJSONTypes(t, path+"."+k, e)
		}
	default:
		t.Errorf("%s: %T is not a JSON-compatible value", path, v)
	}
}

func nan() float64 { return math.NaN() }

func cmpDiff(want, got any) string { return cmp.Diff(want, got, cmpopts.EquateEmpty()) }

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }
