package workload

import (
	"encoding/json"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	kjson "sigs.k8s.io/json"

	"github.com/platformcluster/function-platform-cluster/fn/score"
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
	want := "set -eu\n" + genFunc + `
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
	keywords := map[string]bool{"set": true, "gen": true, "if": true, "then": true, "fi": true, "while": true, "kubectl": true}
	cmd := regexp.MustCompile(`(?m)(?:^\s*(?:if !\s+)?|\|\s*|\$\(|\{\s*)([a-z0-9]+)`)
	for _, m := range cmd.FindAllStringSubmatch(g.script(), -1) {
		if !keywords[m[1]] && !linked[m[1]] {
			t.Errorf("the script runs %q, which the init container does not link (%s)", m[1], installShell)
		}
	}
}

// TestGenDrawsPasswordsEveryDatabaseAccepts runs the generator's gen() in
// a real shell: every value has 32 characters with a digit, a lower-case and
// an upper-case letter (SQL Server's rule), however the draw falls.
func TestGenDrawsPasswordsEveryDatabaseAccepts(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh:", err)
	}
	out, err := exec.Command(sh, "-c", genFunc+"\nfor i in $(seq 1 300); do gen; done").Output()
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Fields(string(out))
	if len(lines) != 300 {
		t.Fatalf("want 300 passwords, got %d", len(lines))
	}
	classes := []*regexp.Regexp{regexp.MustCompile(`[0-9]`), regexp.MustCompile(`[a-z]`), regexp.MustCompile(`[A-Z]`)}
	for _, p := range lines {
		if len(p) != 32 || strings.Trim(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") != "" {
			t.Errorf("password %q: want 32 letters and digits", p)
		}
		for _, c := range classes {
			if !c.MatchString(p) {
				t.Errorf("password %q lacks %s", p, c)
			}
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
