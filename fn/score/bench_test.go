package score

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/platformcluster/function-platform-cluster/fn/fntest"
)

// BenchmarkConvert converts ten workloads, each with a postgres database, a
// dns name and a route: the shape of a typical platform claim.
func BenchmarkConvert(b *testing.B) {
	var ws []Workload
	for i := range 10 {
		ws = append(ws, workload(b, fmt.Sprintf(`
apiVersion: score.dev/v1b1
metadata: {name: app-%02d}
containers:
  main:
    image: ghcr.io/example/app:1.%d
    variables:
      DATABASE_URL: postgres://${resources.db.username}:${resources.db.password}@${resources.db.host}:${resources.db.port}/${resources.db.name}
      PUBLIC_URL: https://${resources.dns.host}
    readinessProbe: {httpGet: {path: /healthz, port: 8080}}
    resources:
      requests: {cpu: 100m, memory: 128Mi}
      limits: {memory: 256Mi}
service:
  ports:
    http: {port: 80, targetPort: 8080}
resources:
  db: {type: postgres}
  dns: {type: dns}
  route: {type: route, params: {host: "${resources.dns.host}", path: /, port: http}}
`, i, i)))
	}
	out := Convert(ws, testOpts)
	if len(out.Workloads) != 10 || len(out.Problems) != 0 {
		b.Fatalf("conversion failed: %v", out.Problems)
	}
	b.ReportAllocs()
	for b.Loop() {
		Convert(ws, testOpts)
	}
}

// BenchmarkConvertMixed converts the 20 workloads of fntest.Mixed with
// fntest.MixedInput's provisioner: every resource type, service
// dependencies and a template provisioner. It is what a call costs when a
// spec changed and the conversion cache cannot help.
func BenchmarkConvertMixed(b *testing.B) {
	var claim struct {
		Workloads []struct {
			Name  string
			Score map[string]any
		}
	}
	if err := json.Unmarshal([]byte(fntest.Mixed(20)), &claim); err != nil {
		b.Fatal(err)
	}
	var ws []Workload
	for _, w := range claim.Workloads {
		ws = append(ws, Workload{Name: w.Name, Spec: w.Score})
	}
	var in struct {
		Workloads struct {
			Provisioners []TemplateProvisioner
			Environment  map[string]EnvValue
		}
	}
	if err := json.Unmarshal([]byte(fntest.MixedInput), &in); err != nil {
		b.Fatal(err)
	}
	opts := testOpts
	opts.Provisioners = in.Workloads.Provisioners
	opts.Environment = in.Workloads.Environment
	if out := Convert(ws, opts); len(out.Workloads) != 20 || len(out.Problems) != 0 {
		b.Fatalf("converted %d workloads: %v", len(out.Workloads), out.Problems)
	}
	b.ReportAllocs()
	for b.Loop() {
		Convert(ws, opts)
	}
}
