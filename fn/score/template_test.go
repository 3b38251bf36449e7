package score

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"

	"github.com/platformcluster/function-platform-cluster/fn/score/manifest"

	"github.com/platformcluster/function-platform-cluster/fn/score/names"
)

// platformProvisioners reads testdata/provisioners/platform.provisioners.yaml
// as the function Input carries it.
func platformProvisioners(t testing.TB) []TemplateProvisioner {
	t.Helper()
	raw, err := os.ReadFile("testdata/provisioners/platform.provisioners.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var ps []TemplateProvisioner
	if err := yaml.UnmarshalStrict(raw, &ps); err != nil {
		t.Fatal(err)
	}
	return ps
}

func platformOpts(t testing.TB) Options {
	opts := testOpts
	opts.Provisioners = platformProvisioners(t)
	return opts
}

func envOf(t *testing.T, out Output, workload string) map[string]corev1.EnvVar {
	t.Helper()
	env := map[string]corev1.EnvVar{}
	for _, c := range podOf(t, out, workload).Containers {
		for _, e := range c.Env {
			env[e.Name] = e
		}
	}
	return env
}

// Real multi-service apps whose resource types only a platform provisioner
// serves deploy in full with the platform's provisioners file.
func TestPlatformProvisionersThirdParty(t *testing.T) {
	opts := platformOpts(t)
	tests := []struct {
		name      string
		files     []string
		converted []string
		env       map[string]string // "<workload> <variable>": value
	}{
		{
			name:      "aks-store-demo with its ai service (llm-model)",
			files:     append(sample("aks-store-demo", "ai", "makeline", "order", "store-admin", "store-front"), "score-spec/examples/samples/aks-store-demo/product/score-ai.yaml"),
			converted: []string{"ai-service", "makeline-service", "order-service", "product-service", "store-admin", "store-front"},
			env: map[string]string{
				"ai-service LOCAL_LLM_ENDPOINT":  "http://llm-" + guid("llm-model.default#ai-service.llm-model")[:8] + ":11434/v1",
				"product-service AI_SERVICE_URL": "http://ai-service.ai-service.svc:5001",
			},
		},
		{
			name:      "traderx with endpoint mocks",
			files:     sample("traderx", "account-service", "database", "people-service", "position-service", "reference-data", "trade-feed", "trade-processor", "trade-service", "web-frontend"),
			converted: []string{"account-service", "database", "people-service", "position-service", "reference-data", "trade-feed", "trade-processor", "trade-service", "web-frontend"},
			env: map[string]string{
				"trade-service PEOPLE_SERVICE_HOST": "mock-people-service",
				"trade-service DATABASE_TCP_HOST":   "database.database.svc",
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ws := thirdparty(t, tc.files...)
			out := Convert(ws, opts)
			checkInvariants(t, ws, opts, out)
			for _, p := range out.Problems {
				if p.Severity == SeverityFatal {
					t.Errorf("fatal problem: %v", p)
				}
			}
			var got []string
			for _, w := range out.Workloads {
				got = append(got, w.Name)
			}
			if diff := cmp.Diff(tc.converted, got); diff != "" {
				t.Errorf("converted workloads (-want +got):\n%s", diff)
			}
			for key, want := range tc.env {
				w, name, _ := strings.Cut(key, " ")
				if diff := cmp.Diff(want, envOf(t, out, w)[name].Value); diff != "" {
					t.Errorf("%s (-want +got):\n%s", key, diff)
				}
			}
			compareGolden(t, out)
		})
	}
}

// A template provisioner's Secret is generated on the cluster: its values
// appear nowhere, and outputs holding them read the Secret.
func TestPlatformProvisionerSecrets(t *testing.T) {
	opts := platformOpts(t)
	ws := []Workload{workload(t, `
apiVersion: score.dev/v1b1
metadata: {name: shop}
containers:
  main:
    image: busybox
    variables:
      DB_PASSWORD: ${resources.db.password}
      DB_URI: ${resources.db.uri}
      DB_HOST: ${resources.db.host}
resources:
  db: {type: postgres, class: large}
  small: {type: postgres}
`)}
	out := Convert(ws, opts)
	checkInvariants(t, ws, opts, out)
	if len(out.Problems) > 0 {
		t.Fatalf("problems: %v", out.Problems)
	}
	// The password the template drew: the first draw of the provisioner's
	// generator for this resource.
	rnd := rand.New(rand.NewChaCha8(sha256.Sum256([]byte("template://platform/postgres-large\x00postgres.large#shop.db"))))
	b := make([]byte, 24)
	for i := range b {
		b[i] = alphaNumChars[rnd.IntN(len(alphaNumChars))]
	}
	drawn := string(b)
	raw, _ := json.Marshal(out)
	if strings.Contains(string(raw), drawn) {
		t.Errorf("the drawn password %q appears in the output", drawn)
	}
	svc := "pg-shop-" + guid("postgres.large#shop.db")[:8]
	env := envOf(t, out, "shop")
	if ref := env["DB_PASSWORD"].ValueFrom; ref == nil || ref.SecretKeyRef.Name != svc || ref.SecretKeyRef.Key != "password" {
		t.Errorf("DB_PASSWORD = %+v, want a secretKeyRef to %s password", env["DB_PASSWORD"], svc)
	}
	if v := env["DB_URI"].Value; !strings.HasPrefix(v, "postgresql://app:$(__ref_") || !strings.HasSuffix(v, "@"+svc+":5432/"+env["DB_URI"].Value[strings.LastIndex(v, "/")+1:]) {
		t.Errorf("DB_URI = %q, want the password by reference", v)
	}
	var generated []string
	for _, s := range out.Workloads[0].Secrets {
		generated = append(generated, s.Name+" "+strings.Join(s.Keys, ","))
	}
	if diff := cmp.Diff([]string{svc + " password", "shop-small password"}, generated); diff != "" {
		t.Errorf("generated secrets (-want +got):\n%s", diff)
	}
	for _, m := range out.Workloads[0].Manifests {
		if kind, _, name := manifest.Key(m); kind == "Secret" && (m["data"] != nil || m["stringData"] != nil) {
			t.Errorf("Secret %s carries values", name)
		}
	}
}

// A platform provisioner wins over the built-in one for its type and class;
// other classes keep the built-in one.
func TestPlatformProvisionerPrecedence(t *testing.T) {
	opts := platformOpts(t)
	ws := []Workload{workload(t, `
apiVersion: score.dev/v1b1
metadata: {name: web}
containers:
  main:
    image: nginx
    variables:
      URL: ${resources.dns.url}
resources:
  dns: {type: dns}
  scale: {type: horizontal-pod-autoscaler, params: {maxReplicas: 20}}
`)}
	out := Convert(ws, opts)
	checkInvariants(t, ws, opts, out)
	if len(out.Problems) > 0 {
		t.Fatalf("problems: %v", out.Problems)
	}
	if diff := cmp.Diff("https://web-dns.apps.platform.example", envOf(t, out, "web")["URL"].Value); diff != "" {
		t.Errorf("URL (-want +got):\n%s", diff)
	}
	var hpa Manifest
	for _, m := range out.Workloads[0].Manifests {
		if kind, _, _ := manifest.Key(m); kind == "HorizontalPodAutoscaler" {
			hpa = m
		}
	}
	spec, _ := hpa["spec"].(map[string]any)
	if spec["maxReplicas"] != int64(10) || spec["minReplicas"] != int64(2) {
		t.Errorf("HPA spec = %v, want minReplicas 2, maxReplicas capped at 10", spec)
	}
	if ns := hpa["metadata"].(map[string]any)["namespace"]; ns != "web" {
		t.Errorf("HPA namespace = %v, want the workload's", ns)
	}
}

// A failing template is a Fatal problem on its resource naming the
// provisioner and the template; other workloads still convert.
func TestPlatformProvisionerFailures(t *testing.T) {
	prov := func(doc string) TemplateProvisioner {
		var p TemplateProvisioner
		if err := yaml.UnmarshalStrict([]byte(doc), &p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	opts := testOpts
	opts.Provisioners = []TemplateProvisioner{
		prov("uri: template://t/fails\ntype: fails\ninit: |\n  {{ fail \"no capacity left\" }}\n"),
		prov("uri: template://t/bad-syntax\ntype: bad-syntax\noutputs: |\n  host: {{ .State.x \n"),
		prov("uri: template://t/fixed-secret\ntype: fixed-secret\nmanifests: |\n  - apiVersion: v1\n    kind: Secret\n    metadata: {name: creds}\n    stringData: {password: hunter2hunter2}\n"),
		prov("uri: template://t/leak\ntype: leak\ninit: |\n  pw: {{ randAlphaNum 16 }}\nmanifests: |\n  - apiVersion: v1\n    kind: Secret\n    metadata: {name: creds}\n    stringData: {password: {{ .Init.pw }}}\n  - apiVersion: dapr.io/v1alpha1\n    kind: Component\n    metadata: {name: store}\n    spec:\n      metadata:\n      - {name: redisHost, value: redis:6379}\n      - {name: redisPassword, value: {{ .Init.pw }}}\n"),
		prov("uri: template://t/elsewhere\ntype: elsewhere\nmanifests: |\n  - {apiVersion: v1, kind: ConfigMap, metadata: {name: x, namespace: kube-system}}\n"),
		prov("uri: template://t/cluster\ntype: cluster\nmanifests: |\n  - {apiVersion: rbac.authorization.k8s.io/v1, kind: ClusterRole, metadata: {name: x}}\n"),
		prov("uri: template://t/clock\ntype: clock\noutputs: |\n  at: {{ now }}\n"),
		prov("type: nameless\n"),
	}
	var ws []Workload
	for _, typ := range []string{"fails", "bad-syntax", "fixed-secret", "leak", "elsewhere", "cluster", "clock"} {
		ws = append(ws, Workload{Source: "test", Spec: spec(t, "apiVersion: score.dev/v1b1\nmetadata: {name: w-"+typ+"}\ncontainers: {main: {image: busybox}}\nresources: {res: {type: "+typ+"}}\n")})
	}
	ws = append(ws, workload(t, "apiVersion: score.dev/v1b1\nmetadata: {name: fine}\ncontainers: {main: {image: busybox}}\n"))
	out := Convert(ws, opts)
	checkInvariants(t, ws, opts, out)
	want := []Problem{
		{Severity: SeverityWarning, Field: "provisioners[7].uri", Message: "is required; the provisioner is ignored"},
		fatal("w-bad-syntax", "resources.res", `provisioner template://t/bad-syntax: outputs: the outputs template does not parse: template: outputs:2: unclosed action started at outputs:1`),
		fatal("w-clock", "resources.res", `provisioner template://t/clock: outputs: the outputs template failed: template: outputs:1:7: executing "outputs" at <now>: error calling now: now is not available here: the output must be the same on every reconcile`),
		fatal("w-cluster", "resources.res", `provisioner template://t/cluster: manifests[0].kind: ClusterRole is cluster scoped; provisioners may only create objects in the resource's namespace w-cluster`),
		fatal("w-elsewhere", "resources.res", `provisioner template://t/elsewhere: manifests[0].metadata.namespace: is "kube-system"; provisioners may only create objects in the resource's namespace w-elsewhere (.Namespace)`),
		fatal("w-fails", "resources.res", `provisioner template://t/fails: init: the init template failed: template: init:1:3: executing "init" at <fail "no capacity left">: error calling fail: no capacity left`),
		fatal("w-fixed-secret", "resources.res", `provisioner template://t/fixed-secret: manifests[0].stringData.password: a Secret's values never reach the cluster from here, where they would be in plain text: each key must hold a value drawn with randAlphaNum (or another random function, at least 8 characters), and the cluster generates a fresh random value in its place. Put values that are not secret in a ConfigMap or the workload's variables`),
		fatal("w-leak", "resources.res", `provisioner template://t/leak: manifests[1].spec.metadata[1].value: holds the value of Secret creds key password in plain text; read it from the Secret (secretKeyRef, envFrom, a secret volume)`),
	}
	for i := range want {
		if want[i].Workload != "" {
			want[i].Source = "test"
		}
	}
	if diff := cmpDiff(want, out.Problems); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	if len(out.Workloads) != 1 || out.Workloads[0].Name != "fine" {
		t.Errorf("converted %v, want only the workload without a broken provisioner", out.Workloads)
	}
}

// A platform volume provisioner's source output is what the container
// mounts, as in score-k8s.
func TestPlatformVolumeProvisioner(t *testing.T) {
	opts := testOpts
	opts.Provisioners = []TemplateProvisioner{{
		URI: "template://platform/volume-nfs", Type: "volume", Class: new("shared"),
		Outputs:   "source:\n  persistentVolumeClaim:\n    claimName: {{ .SourceWorkload }}-files\n",
		Manifests: "- apiVersion: v1\n  kind: PersistentVolumeClaim\n  metadata: {name: '{{ .SourceWorkload }}-files'}\n  spec:\n    accessModes: [ReadWriteMany]\n    storageClassName: nfs\n    resources: {requests: {storage: 5Gi}}\n",
	}, {
		URI: "template://platform/volume-bad", Type: "volume", Class: new("bad"),
		Outputs: "source: {nfs: {server: 1}}\n",
	}}
	ws := []Workload{workload(t, `
apiVersion: score.dev/v1b1
metadata: {name: web}
containers:
  main:
    image: nginx
    volumes:
      /files: {source: "${resources.files}"}
      /tmp: {source: "${resources.tmp}"}
resources:
  files: {type: volume, class: shared}
  tmp: {type: volume}
`), workload(t, `
apiVersion: score.dev/v1b1
metadata: {name: broken}
containers:
  main:
    image: nginx
    volumes:
      /data: {source: "${resources.data}"}
resources:
  data: {type: volume, class: bad}
`)}
	out := Convert(ws, opts)
	checkInvariants(t, ws, opts, out)
	want := []Problem{fatal("broken", "resources.data", "provisioner template://platform/volume-bad: outputs.source: is not a Kubernetes volume source: json: cannot unmarshal number into Go struct field NFSVolumeSource.nfs.server of type string")}
	want[0].Source = "test"
	if diff := cmpDiff(want, out.Problems); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	vols := map[string]corev1.VolumeSource{}
	for _, v := range podOf(t, out, "web").Volumes {
		vols[v.Name] = v.VolumeSource
	}
	if pvc := vols[names.Stable(names.MaxLabel, "vol", "files")].PersistentVolumeClaim; pvc == nil || pvc.ClaimName != "web-files" {
		t.Errorf("files volume = %+v, want the provisioner's claim", vols)
	}
	if vols[names.Stable(names.MaxLabel, "vol", "tmp")].PersistentVolumeClaim == nil {
		t.Errorf("the built-in volume provisioner must still serve class default: %+v", vols)
	}
}

// A shared resource from a platform provisioner is provisioned once in
// SharedNamespace; each consumer gets a copy of its generated Secret.
func TestPlatformProvisionerShared(t *testing.T) {
	opts := platformOpts(t)
	var ws []Workload
	for _, name := range []string{"orders", "billing"} {
		ws = append(ws, workload(t, `
apiVersion: score.dev/v1b1
metadata: {name: `+name+`}
containers:
  main:
    image: busybox
    variables: {DB: "${resources.db.uri}", DB_HOST: "${resources.db.host}"}
resources:
  db: {type: postgres, class: large, id: main-db}
`))
	}
	out := Convert(ws, opts)
	checkInvariants(t, ws, opts, out)
	svc := "pg-billing-" + guid("postgres.large#main-db")[:8]
	// The host output is the bare Service name, as score-k8s templates
	// write it; it is qualified, and the URI embedding it is warned about.
	want := []Problem{warning("billing", "resources.db", "provisioner template://platform/postgres-large: outputs.uri names Service "+svc+", which is in namespace score-shared with the shared resource; workloads reach it as "+svc+".score-shared.svc")}
	want[0].Source = "test"
	if diff := cmpDiff(want, out.Problems); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	var sets int
	for _, m := range out.Shared {
		if kind, ns, name := manifest.Key(m); kind == "StatefulSet" && ns == SharedNamespace && name == svc {
			sets++
		}
	}
	if sets != 1 {
		t.Errorf("%d StatefulSets %s in %s, want 1", sets, svc, SharedNamespace)
	}
	for _, w := range out.Workloads {
		if len(w.Secrets) != 1 || w.Secrets[0].Name != svc || w.Secrets[0].Resource != out.SharedSecrets[0].Resource {
			t.Errorf("workload %s secrets %+v, want a copy of %+v", w.Name, w.Secrets, out.SharedSecrets)
		}
		env := envOf(t, out, w.Name)
		if v := env["DB"].Value; !strings.Contains(v, "$(__ref_") {
			t.Errorf("workload %s DB = %q, want the password by reference", w.Name, v)
		}
		if diff := cmp.Diff(svc+".score-shared.svc", env["DB_HOST"].Value); diff != "" {
			t.Errorf("workload %s DB_HOST (-want +got):\n%s", w.Name, diff)
		}
	}
}

// guid is template's stand-in for score-k8s' random .Guid, as its
// templates see it: derived from the resource uid, so the names built from
// it can be predicted here.
func guid(uid string) string {
	h := sha256.Sum256([]byte("guid\x00" + uid))
	x := hex.EncodeToString(h[:16])
	return x[:8] + "-" + x[8:12] + "-" + x[12:16] + "-" + x[16:20] + "-" + x[20:32]
}

const alphaNumChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
