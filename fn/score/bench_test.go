package score

import (
	"fmt"
	"testing"
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
