package workload

import (
	"strings"
	"testing"

	"github.com/platformcluster/function-platform-cluster/fn/compose"
	"github.com/platformcluster/function-platform-cluster/fn/score"
)

// TestGeneratorForAddonSecrets: an add-on's Secrets go through the same
// generator as Score's: values of the asked length, a Secret created with
// the labels and annotations Helm adopts it by, an htpasswd line from the
// httpd step, one Job whose key is returned; and nothing the script would
// have to quote is accepted.
func TestGeneratorForAddonSecrets(t *testing.T) {
	ss := []score.GeneratedSecret{
		{Namespace: "harbor", Name: "keys", Keys: []string{"secretKey"}, Length: 16, Resource: "harbor", Seeds: map[string]string{"secretKey": "harbor-core/secretKey"}},
		{
			Namespace: "harbor", Name: "db", Keys: []string{"POSTGRES_PASSWORD"}, Resource: "harbor",
			Labels: map[string]string{"app.kubernetes.io/managed-by": "Helm"}, Annotations: map[string]string{"meta.helm.sh/release-name": "harbor"},
		},
		{
			Namespace: "harbor", Name: "registry", Keys: []string{"REGISTRY_PASSWD"}, Resource: "harbor",
			Htpasswd: &score.Htpasswd{User: "harbor_registry_user", PasswordKey: "REGISTRY_PASSWD", Key: "REGISTRY_HTPASSWD"},
		},
	}
	rs, job, err := Generator(compose.Owner{XR: "x"}, "addon-harbor", "kubectl:v1", ss, "harbor")
	if err != nil {
		t.Fatal(err)
	}
	if job != "addon-harbor-job-gen-db" {
		t.Errorf("job key: %s", job)
	}
	var pod map[string]any
	for _, r := range rs {
		if r.Key == job {
			m := r.Object["spec"].(map[string]any)["forProvider"].(map[string]any)["manifest"].(map[string]any)
			pod = m["spec"].(map[string]any)["template"].(map[string]any)["spec"].(map[string]any)
		}
	}
	script := pod["containers"].([]any)[0].(map[string]any)["command"].([]any)[2].(string)
	for _, want := range []string{
		`--from-literal='secretKey'="$(s=$(kubectl get secret -n 'harbor' 'harbor-core' -o jsonpath='{.data.secretKey}' 2>/dev/null | base64 -d) || true; if [ -n "$s" ]; then printf %s "$s"; else printf %s "$(gen | head -c 16)"; fi)"`,
		`--from-literal='POSTGRES_PASSWORD'="$(gen)" --dry-run=client -o json | kubectl label --local -f - -o json 'app.kubernetes.io/managed-by=Helm' | kubectl annotate --local -f - -o json 'meta.helm.sh/release-name=harbor' | kubectl create -f -`,
		`--from-file='REGISTRY_PASSWD'=/hashed/password --from-file='REGISTRY_HTPASSWD'=/hashed/htpasswd`,
	} {
		if !strings.Contains(script, want) {
			t.Errorf("script lacks %s:\n%s", want, script)
		}
	}
	inits := pod["initContainers"].([]any)
	if len(inits) != 2 || inits[1].(map[string]any)["image"] != HtpasswdImage ||
		!strings.Contains(inits[1].(map[string]any)["command"].([]any)[2].(string), "htpasswd -nbB 'harbor_registry_user'") {
		t.Errorf("want the htpasswd step second, got %v", inits)
	}

	bad := append([]score.GeneratedSecret{}, ss...)
	bad[1].Annotations = map[string]string{"x": "a'; rm -rf /"}
	if _, _, err := Generator(compose.Owner{XR: "x"}, "p", "i", bad, "c"); err == nil {
		t.Error("an annotation the script would have to quote must be refused")
	}
}
