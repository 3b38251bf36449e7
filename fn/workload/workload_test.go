package workload

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	kjson "sigs.k8s.io/json"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/resource"

	"github.com/platformcluster/function-platform-cluster/fn/addons"
	"github.com/platformcluster/function-platform-cluster/fn/score"
	"github.com/platformcluster/function-platform-cluster/fn/spec"
)

// strict decodes a manifest into its real Kubernetes type, rejecting any
// field the type does not have.
func strict(t *testing.T, m score.Manifest) {
	t.Helper()
	var into any
	switch m["kind"] {
	case "ServiceAccount":
		into = &corev1.ServiceAccount{}
	case "Role":
		into = &rbacv1.Role{}
	case "RoleBinding":
		into = &rbacv1.RoleBinding{}
	case "Job":
		into = &batchv1.Job{}
	case "Deployment":
		into = &appsv1.Deployment{}
	default:
		return
	}
	raw, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	strictErrs, err := kjson.UnmarshalStrict(raw, into)
	if err != nil || len(strictErrs) > 0 {
		t.Errorf("%s does not decode strictly: %v %v", m["kind"], err, strictErrs)
	}
}

func TestGeneratorSharesValuesAcrossNamespaces(t *testing.T) {
	gens, problems := groupSecrets([]score.GeneratedSecret{
		{Namespace: "shop", Name: "db", Keys: []string{"password"}, Resource: "postgres#shared.db"},
		{Namespace: "score-shared", Name: "db", Keys: []string{"password"}, Resource: "postgres#shared.db"},
		{Namespace: "cart", Name: "cache", Keys: []string{"password"}, Resource: "redis#cart.cache"},
	})
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	if len(gens) != 2 {
		t.Fatalf("want one generator per Score resource, got %d", len(gens))
	}
	g := gens[0]
	if g.resource != "postgres#shared.db" || g.namespace() != "score-shared" {
		t.Fatalf("want the shared db generated in score-shared first, got %s in %s", g.resource, g.namespace())
	}
	want := `set -eu
gen() { head -c 64 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 32; }
if ! kubectl get secret -n 'score-shared' 'db' >/dev/null 2>&1; then
  kubectl create secret generic -n 'score-shared' 'db' --from-literal='password'="$(gen)"
fi
if ! kubectl get secret -n 'shop' 'db' >/dev/null 2>&1; then
  kubectl create secret generic -n 'shop' 'db' --from-literal='password'="$(kubectl get secret -n 'score-shared' 'db' -o jsonpath='{.data.password}' | base64 -d)"
fi
`
	if diff := cmp.Diff(want, g.script()); diff != "" {
		t.Errorf("script: -want, +got:\n%s", diff)
	}
	ms := g.manifests("registry.k8s.io/kubectl:v1.33.5")
	var kinds []string
	for _, m := range ms {
		strict(t, m)
		md := m["metadata"].(map[string]any)
		kinds = append(kinds, m["kind"].(string)+"/"+md["namespace"].(string))
	}
	wantKinds := []string{
		"ServiceAccount/score-shared",
		"Role/score-shared", "RoleBinding/score-shared",
		"Role/shop", "RoleBinding/shop",
		"Job/score-shared",
	}
	if diff := cmp.Diff(wantKinds, kinds); diff != "" {
		t.Errorf("generator manifests: -want, +got:\n%s", diff)
	}
}

// TestGeneratorBringsEveryToolItsScriptRuns: the kubectl image has no
// shell, so every command the script runs, other than kubectl and shell
// keywords, must be a busybox applet the init container links.
func TestGeneratorBringsEveryToolItsScriptRuns(t *testing.T) {
	gens, _ := groupSecrets([]score.GeneratedSecret{
		{Resource: "postgres#shared.db", Namespace: score.SharedNamespace, Name: "db", Keys: []string{"password"}},
		{Resource: "postgres#shared.db", Namespace: "shop", Name: "db", Keys: []string{"password", "extra"}},
	})
	g := gens[0]
	job := g.manifests("registry.k8s.io/kubectl:v1.33.5")[5]
	pod := job["spec"].(map[string]any)["template"].(map[string]any)["spec"].(map[string]any)
	initC := pod["initContainers"].([]any)[0].(map[string]any)
	main := pod["containers"].([]any)[0].(map[string]any)
	if initC["image"] != ShellImage || main["image"] != "registry.k8s.io/kubectl:v1.33.5" {
		t.Fatalf("want busybox in the init container and kubectl in the main one, got %v and %v", initC["image"], main["image"])
	}
	if main["command"].([]any)[0] != "/tools/sh" {
		t.Errorf("the script must run with the copied shell, got %v", main["command"])
	}
	linked := map[string]bool{}
	for _, a := range strings.Fields(strings.SplitN(strings.SplitN(installShell, "for a in ", 2)[1], ";", 2)[0]) {
		linked[a] = true
	}
	keywords := map[string]bool{"set": true, "gen": true, "if": true, "then": true, "fi": true, "kubectl": true}
	cmd := regexp.MustCompile(`(?m)(?:^\s*(?:if !\s+)?|\|\s*|\$\(|\{\s*)([a-z0-9]+)`)
	for _, m := range cmd.FindAllStringSubmatch(g.script(), -1) {
		if !keywords[m[1]] && !linked[m[1]] {
			t.Errorf("the script runs %q, which the init container does not link (%s)", m[1], installShell)
		}
	}
}

func TestGeneratorRefusesUnsafeKeys(t *testing.T) {
	gens, problems := groupSecrets([]score.GeneratedSecret{
		{Namespace: "a", Name: "b", Keys: []string{"pass'; rm -rf /"}},
		{Namespace: "a", Name: "c", Keys: []string{"password"}},
	})
	if len(problems) != 1 || !strings.Contains(problems[0], "secret a/b is not generated") {
		t.Errorf("want the unsafe Secret reported, got %v", problems)
	}
	if len(gens) != 1 || gens[0].secrets[0].Name != "c" {
		t.Errorf("the safe Secret must still be generated, got %v", gens)
	}
}

func TestDeliver(t *testing.T) {
	out := score.Output{Workloads: []score.WorkloadOutput{{
		Name: "shop", Namespace: "shop", URL: "http://shop-dns.example.com/",
		Manifests: []score.Manifest{
			{"apiVersion": "v1", "kind": "Namespace", "metadata": map[string]any{"name": "shop"}},
			{"apiVersion": "v1", "kind": "Secret", "metadata": map[string]any{"name": "db", "namespace": "shop"}},
			{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": map[string]any{"name": "shop", "namespace": "shop"}},
			{"apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute", "metadata": map[string]any{"name": "route", "namespace": "shop"}},
		},
		Secrets: []score.GeneratedSecret{{Namespace: "shop", Name: "db", Keys: []string{"password"}}},
	}}}
	ap := addons.Params{XRName: "demo-x7k2p", Cluster: "demo", ProviderConfig: "demo-x7k2p"}

	cases := map[string]struct {
		routes       bool
		wantKeys     []string
		wantRoutes   []string
		wantWarnings []string
		wantURL      string
	}{
		"WithGateway": {
			routes: true,
			wantKeys: []string{
				"wl-shop-namespace-shop", "wl-shop-deployment-shop", "wl-shop-httproute-route",
				"wl-shop-serviceaccount-gen-db", "wl-shop-role-gen-db", "wl-shop-rolebinding-gen-db", "wl-shop-job-gen-db",
			},
			wantRoutes: []string{"wl-shop-httproute-route"},
			wantURL:    "http://shop-dns.example.com/",
		},
		"WithoutGatewayRoutesAreReportedNotDropped": {
			wantKeys: []string{
				"wl-shop-namespace-shop", "wl-shop-deployment-shop",
				"wl-shop-serviceaccount-gen-db", "wl-shop-role-gen-db", "wl-shop-rolebinding-gen-db", "wl-shop-job-gen-db",
			},
			wantWarnings: []string{"workload shop: HTTPRoute shop/route is not delivered because spec.components.gatewayFabric is not enabled; enable it to expose the workload"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			ds, warnings := Deliver(out, ap, "img", tc.routes)
			if len(ds) != 1 {
				t.Fatalf("want one delivery, got %d", len(ds))
			}
			var keys []string
			for _, r := range ds[0].Resources {
				keys = append(keys, r.Key)
				if r.Object["kind"] != "Object" {
					t.Errorf("%s: want a provider-kubernetes Object, got %v", r.Key, r.Object["kind"])
				}
				m := r.Object["spec"].(map[string]any)["forProvider"].(map[string]any)["manifest"].(map[string]any)
				if m["kind"] == "Secret" {
					t.Errorf("%s: a generated Secret must be created on the cluster, not delivered", r.Key)
				}
			}
			if diff := cmp.Diff(tc.wantKeys, keys); diff != "" {
				t.Errorf("keys: -want, +got:\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantRoutes, ds[0].Routes); diff != "" {
				t.Errorf("routes: -want, +got:\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantWarnings, warnings); diff != "" {
				t.Errorf("warnings: -want, +got:\n%s", diff)
			}
			if ds[0].URL != tc.wantURL {
				t.Errorf("URL: want %q, got %q", tc.wantURL, ds[0].URL)
			}
		})
	}
}

func TestCollect(t *testing.T) {
	s := &spec.Spec{
		Workloads:  []spec.Workload{{Name: "inline", Score: map[string]any{"apiVersion": "score.dev/v1b1"}}},
		Components: spec.Components{UserApps: &spec.UserApps{Enabled: []string{"found", "absent", "empty", "broken"}}},
	}
	cm := func(name, data string) *fnv1.Resources {
		return &fnv1.Resources{Items: []*fnv1.Resource{{Resource: resource.MustStructJSON(
			`{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"` + name + `","namespace":"team-a"},"data":{"score.yaml":` + data + `}}`)}}}
	}
	req := &fnv1.RunFunctionRequest{RequiredResources: map[string]*fnv1.Resources{
		"score-found":  cm("found", `"apiVersion: score.dev/v1b1\nmetadata: {name: found}\n"`),
		"score-absent": {},
		"score-empty":  cm("empty", `""`),
		"score-broken": cm("broken", `"containers: [unclosed"`),
	}}
	ws, missing := Collect(s, req, "team-a", "score.yaml")
	var names []string
	for _, w := range ws {
		names = append(names, w.Name+" from "+w.Source)
	}
	if diff := cmp.Diff([]string{"inline from spec.workloads[0].score", "found from ConfigMap team-a/found key score.yaml"}, names); diff != "" {
		t.Errorf("workloads: -want, +got:\n%s", diff)
	}
	var reasons []string
	for _, m := range missing {
		reasons = append(reasons, m.Field+" "+m.Name+": "+strings.SplitN(m.Reason, ":", 2)[0])
	}
	want := []string{
		"spec.components.userApps.enabled[1] absent: ConfigMap team-a/absent key score.yaml not found",
		"spec.components.userApps.enabled[2] empty: ConfigMap team-a/empty key score.yaml is missing or empty",
		"spec.components.userApps.enabled[3] broken: ConfigMap team-a/broken key score.yaml is not valid YAML",
	}
	if diff := cmp.Diff(want, reasons); diff != "" {
		t.Errorf("missing: -want, +got:\n%s", diff)
	}
	if _, missing := Collect(s, req, "", "score.yaml"); len(missing) != 4 {
		t.Errorf("without a namespace every reference must be reported, got %d", len(missing))
	}
}

func TestSharedDatabaseHasOneGenerator(t *testing.T) {
	app := func(name string) score.Workload {
		return score.Workload{Name: name, Source: name, Spec: map[string]any{
			"apiVersion": "score.dev/v1b1",
			"metadata":   map[string]any{"name": name},
			"containers": map[string]any{"main": map[string]any{
				"image":     "nginx",
				"variables": map[string]any{"DB_PASSWORD": "${resources.db.password}"},
			}},
			"resources": map[string]any{"db": map[string]any{"type": "postgres", "id": "orders"}},
		}}
	}
	out := score.Convert([]score.Workload{app("cart"), app("shop")}, score.Options{GatewayName: "gw", GatewayNamespace: "gw"})
	for _, p := range out.Problems {
		if p.Severity == score.SeverityFatal {
			t.Fatalf("unexpected problem: %v", p)
		}
	}
	ds, _ := Deliver(out, addons.Params{XRName: "x"}, "img", true)
	var jobs []string
	bindings := map[string]bool{}
	for _, d := range ds {
		for _, r := range d.Resources {
			m := r.Object["spec"].(map[string]any)["forProvider"].(map[string]any)["manifest"].(map[string]any)
			md := m["metadata"].(map[string]any)
			switch m["kind"] {
			case "Job":
				jobs = append(jobs, md["namespace"].(string))
				script := m["spec"].(map[string]any)["template"].(map[string]any)["spec"].(map[string]any)["containers"].([]any)[0].(map[string]any)["command"].([]any)[2].(string)
				for _, ns := range []string{"cart", "shop"} {
					if !strings.Contains(script, "kubectl get secret -n '"+score.SharedNamespace+"'") || !strings.Contains(script, "-n '"+ns+"'") {
						t.Errorf("generator must copy the shared Secret into %s:\n%s", ns, script)
					}
				}
			case "RoleBinding":
				bindings[md["namespace"].(string)] = true
			}
		}
	}
	if diff := cmp.Diff([]string{score.SharedNamespace}, jobs); diff != "" {
		t.Errorf("want exactly one generator Job, in the shared namespace: -want, +got:\n%s", diff)
	}
	for _, ns := range []string{score.SharedNamespace, "cart", "shop"} {
		if !bindings[ns] {
			t.Errorf("generator has no RoleBinding in %s", ns)
		}
	}
}
