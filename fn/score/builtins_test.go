package score

import (
	"strings"
	"testing"
)

// TestConvertBuiltinTypes: the resource types score-compose and the
// community provisioners bring, with their semantics and output names.
func TestConvertBuiltinTypes(t *testing.T) {
	runCases(t, []convertCase{
		{
			name: "horizontal-pod-autoscaler with the community defaults",
			workloads: []string{`
apiVersion: score.dev/v1b1
metadata: {name: web}
containers: {main: {image: nginx, resources: {requests: {cpu: 100m}}}}
resources: {hpa: {type: horizontal-pod-autoscaler}}
`},
			check: func(t *testing.T, out Output) {
				hpa := kindOf(t, out, "web", "HorizontalPodAutoscaler")
				sp := hpa["spec"].(map[string]any)
				if sp["minReplicas"] != int64(2) || sp["maxReplicas"] != int64(3) {
					t.Errorf("want replicas 2..3, got %v..%v", sp["minReplicas"], sp["maxReplicas"])
				}
				if ref := sp["scaleTargetRef"].(map[string]any); ref["kind"] != "Deployment" || ref["name"] != "web" {
					t.Errorf("scaleTargetRef: %v", ref)
				}
			},
		},
		{
			name: "horizontal-pod-autoscaler of a StatefulSet, params capped at 10 replicas",
			workloads: []string{`
apiVersion: score.dev/v1b1
metadata: {name: web, annotations: {k8s.score.dev/kind: StatefulSet}}
containers: {main: {image: nginx}}
resources: {hpa: {type: horizontal-pod-autoscaler, params: {minReplicas: 4, maxReplicas: 40, targetCPUUtilizationPercentage: "60"}}}
`},
			problems: []Problem{
				warning("web", "resources.hpa", "no container requests cpu (containers.<name>.resources.requests.cpu), so the autoscaler cannot compute utilisation and will not scale"),
				warning("web", "resources.hpa.params.maxReplicas", "40 is above the ceiling of 10 the community provisioner applies; 10 is used"),
			},
			check: func(t *testing.T, out Output) {
				sp := kindOf(t, out, "web", "HorizontalPodAutoscaler")["spec"].(map[string]any)
				if sp["minReplicas"] != int64(4) || sp["maxReplicas"] != int64(10) {
					t.Errorf("want replicas 4..10, got %v..%v", sp["minReplicas"], sp["maxReplicas"])
				}
				if ref := sp["scaleTargetRef"].(map[string]any); ref["kind"] != "StatefulSet" {
					t.Errorf("scaleTargetRef: %v", ref)
				}
			},
		},
		{
			name: "horizontal-pod-autoscaler with wrong params",
			workloads: []string{`
apiVersion: score.dev/v1b1
metadata: {name: web}
containers: {main: {image: nginx, resources: {requests: {cpu: 100m}}}}
resources:
  hpa: {type: horizontal-pod-autoscaler, params: {minReplicas: three}}
  hpa2: {type: horizontal-pod-autoscaler, params: {minReplicas: 5, maxReplicas: 4}}
`},
			problems: []Problem{
				fatal("web", "resources.hpa.params.minReplicas", `must be a whole number between 1 and 1000, got "three"`),
				fatal("web", "resources.hpa2.params.minReplicas", "5 exceeds maxReplicas (4)"),
			},
		},
		{
			name: "endpoint to an external URL, and to another workload of the claim",
			workloads: []string{`
apiVersion: score.dev/v1b1
metadata: {name: frontend}
containers:
  main:
    image: busybox
    variables:
      PAYMENTS: ${resources.payments.url}
      PAYMENTS_HOST: ${resources.payments.host}
      PAYMENTS_PORT: ${resources.payments.port}
      ORDERS: ${resources.orders.url}/v1
resources:
  payments: {type: endpoint, params: {url: "https://pay.example.com/api/"}}
  orders: {type: endpoint, params: {port: web, openapi_file: ./orders.yaml}}
`, `
apiVersion: score.dev/v1b1
metadata: {name: orders}
containers: {main: {image: nginx}}
service: {ports: {web: {port: 80, targetPort: 8080}, admin: {port: 9090}}}
`},
			check: func(t *testing.T, out Output) {
				d := jsonText(kindOf(t, out, "frontend", "Deployment"))
				for _, want := range []string{
					`{"name":"ORDERS","value":"http://orders.orders.svc:80/v1"}`,
					`{"name":"PAYMENTS","value":"https://pay.example.com/api"}`,
					`{"name":"PAYMENTS_HOST","value":"pay.example.com"}`,
					`{"name":"PAYMENTS_PORT","value":"443"}`,
				} {
					if !strings.Contains(d, want) {
						t.Errorf("want %s in %s", want, d)
					}
				}
			},
		},
		{
			name: "endpoint needs a URL when it names no workload; a bad URL is refused",
			workloads: []string{`
apiVersion: score.dev/v1b1
metadata: {name: frontend}
containers: {main: {image: busybox}}
resources:
  backend: {type: endpoint, params: {port: 8181}}
  bad: {type: endpoint, params: {url: "ftp://files.example.com"}}
  orders: {type: endpoint, params: {port: 8181}}
`, `
apiVersion: score.dev/v1b1
metadata: {name: orders}
containers: {main: {image: nginx}}
service: {ports: {web: {port: 80, targetPort: 8080}, admin: {port: 9090}}}
`},
			problems: []Problem{
				fatal("frontend", "resources.backend.params.url", `is required: "backend" is not a workload of this claim, and no mock server is made for an OpenAPI file; give the URL of the API`),
				fatal("frontend", "resources.bad.params.url", `must be an absolute http or https URL, e.g. https://api.example.com/v1, got "ftp://files.example.com"`),
				fatal("frontend", "resources.orders.params.port", `workload "orders" has no service port "8181"; its service ports are admin (9090), web (80)`),
			},
		},
		{
			name: "elasticsearch with score-compose's outputs",
			workloads: []string{`
apiVersion: score.dev/v1b1
metadata: {name: search}
containers:
  main:
    image: busybox
    variables:
      ES_URL: http://${resources.es.host}:${resources.es.port}
      ES_USER: ${resources.es.username}
      ES_PASSWORD: ${resources.es.password}
resources: {es: {type: elasticsearch}}
`},
			check: func(t *testing.T, out Output) {
				sts := kindOf(t, out, "search", "StatefulSet")
				if !strings.Contains(jsonText(sts), "elasticsearch:9.4.5") {
					t.Errorf("the StatefulSet does not run %s", "elasticsearch:9.4.5")
				}
				if d := jsonText(kindOf(t, out, "search", "Deployment")); !strings.Contains(d, `"name":"ES_PASSWORD","valueFrom":{"secretKeyRef"`) {
					t.Errorf("ES_PASSWORD is not a secretKeyRef: %s", d)
				}
			},
		},
		{
			name: "dns gives a url, https when the platform serves its domain over HTTPS",
			workloads: []string{`
apiVersion: score.dev/v1b1
metadata: {name: web}
containers: {main: {image: busybox, variables: {URL: "${resources.dns.url}"}}}
resources: {dns: {type: dns}}
`},
			opts: &Options{Domain: "apps.example.com", HTTPS: true},
			check: func(t *testing.T, out Output) {
				if d := jsonText(kindOf(t, out, "web", "Deployment")); !strings.Contains(d, `"value":"https://web-dns.apps.example.com"`) {
					t.Errorf("URL: %s", d)
				}
			},
		},
		{
			name: "dns url over plain HTTP, as the community dns-with-url provisioner",
			workloads: []string{`
apiVersion: score.dev/v1b1
metadata: {name: web}
containers: {main: {image: busybox, variables: {URL: "${resources.dns.url}"}}}
resources: {dns: {type: dns}}
`},
			check: func(t *testing.T, out Output) {
				if d := jsonText(kindOf(t, out, "web", "Deployment")); !strings.Contains(d, `"value":"http://web-dns.apps.example.com:80"`) {
					t.Errorf("URL: %s", d)
				}
			},
		},
	})
}

// kindOf is the first manifest of kind among the workload's.
func kindOf(t *testing.T, out Output, workload, kind string) Manifest {
	t.Helper()
	for _, wo := range out.Workloads {
		for _, m := range wo.Manifests {
			if wo.Name == workload && m["kind"] == kind {
				return m
			}
		}
	}
	t.Fatalf("workload %s has no %s", workload, kind)
	return nil
}
