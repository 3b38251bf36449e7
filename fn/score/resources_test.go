package score

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
)

const withDNS = `
apiVersion: score.dev/v1b1
metadata: {name: %s}
containers:
  main:
    image: nginx
    variables: {HOST: "${resources.%s.host}"}
resources:
  %s: {type: dns%s}
`

func TestConvertDNS(t *testing.T) {
	runCases(t, []convertCase{
		{
			name:      "host from workload and resource names",
			workloads: []string{sprintf(withDNS, "demo-app", "dns", "dns", "")},
			check:     wantEnv("demo-app", corev1.EnvVar{Name: "HOST", Value: "demo-app-dns.apps.example.com"}),
		},
		{
			name:      "localhost without a domain",
			workloads: []string{sprintf(withDNS, "demo-app", "dns", "dns", "")},
			opts:      &Options{},
			check:     wantEnv("demo-app", corev1.EnvVar{Name: "HOST", Value: "demo-app-dns.localhost"}),
		},
		{
			name:      "shared host from the id",
			workloads: []string{sprintf(withDNS, "demo-app", "dns", "dns", ", id: www"), sprintf(withDNS, "other-app", "web", "web", ", id: www")},
			check: func(t *testing.T, out Output) {
				wantEnv("demo-app", corev1.EnvVar{Name: "HOST", Value: "www.apps.example.com"})(t, out)
				wantEnv("other-app", corev1.EnvVar{Name: "HOST", Value: "www.apps.example.com"})(t, out)
				if len(out.Shared) != 0 {
					t.Errorf("a shared dns name needs no manifests, got %s", kinds(out.Shared))
				}
			},
		},
		{
			name: "long names are shortened to a DNS label",
			workloads: []string{sprintf(withDNS, "a-workload-name-of-forty-characters-long",
				"a-resource-name-of-thirty-chars", "a-resource-name-of-thirty-chars", "")},
			check: wantEnv("a-workload-name-of-forty-characters-long", corev1.EnvVar{Name: "HOST",
				Value: "a-workload-name-of-forty-characters-long-a-resource-na-e75602a2.apps.example.com"}),
		},
		{
			name:      "invalid domain",
			workloads: []string{sprintf(withDNS, "demo-app", "dns", "dns", "")},
			opts:      &Options{Domain: "Apps_Example"},
			problems:  []Problem{fatal("demo-app", "resources.dns", `the platform's dns domain "Apps_Example" is invalid: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`)},
		},
		{
			name:      "params are not read",
			workloads: []string{sprintf(withDNS, "demo-app", "dns", "dns", ", params: {host: mine.example.com}")},
			problems:  []Problem{warning("demo-app", "resources.dns.params.host", "not a param of this resource type (supported: none); ignored")},
		},
	})
}

const withDatabase = `
apiVersion: score.dev/v1b1
metadata: {name: %s}
containers:
  main:
    image: app
    variables:
      HOST: ${resources.db.host}
      PORT: ${resources.db.port}
      USER: ${resources.db.username}
      PASSWORD: ${resources.db.password}
      %s
resources:
  db: {type: %s%s}
`

func TestConvertDatabases(t *testing.T) {
	runCases(t, []convertCase{
		{
			name:      "postgres",
			workloads: []string{sprintf(withDatabase, "demo-app", "NAME: ${resources.db.name}\n      DATABASE: ${resources.db.database}", "postgres", "")},
			check: func(t *testing.T, out Output) {
				wantEnv("demo-app",
					corev1.EnvVar{Name: "DATABASE", Value: "db"},
					corev1.EnvVar{Name: "HOST", Value: "demo-app-db.demo-app.svc"},
					corev1.EnvVar{Name: "NAME", Value: "db"},
					secretEnv("PASSWORD", "demo-app-db", "password"),
					corev1.EnvVar{Name: "PORT", Value: "5432"},
					corev1.EnvVar{Name: "USER", Value: "db"},
				)(t, out)
				wantKinds("Namespace/demo-app Secret/demo-app-db Service/demo-app-db Deployment/demo-app StatefulSet/demo-app-db")(t, out)
				want := []GeneratedSecret{{Namespace: "demo-app", Name: "demo-app-db", Keys: []string{"password"}, Resource: "postgres.default#demo-app.db"}}
				if diff := cmp.Diff(want, out.Workloads[0].Secrets); diff != "" {
					t.Errorf("secrets (-want +got):\n%s", diff)
				}
				sts := manifestOf(t, out.Workloads[0].Manifests, "StatefulSet", "demo-app-db").(*appsv1.StatefulSet)
				if c := sts.Spec.Template.Spec.Containers[0]; c.Image != "postgres:17.11-alpine" {
					t.Errorf("image = %s", c.Image)
				}
			},
		},
		{
			name:      "mysql",
			workloads: []string{sprintf(withDatabase, "demo-app", "NAME: ${resources.db.name}", "mysql", "")},
			check: func(t *testing.T, out Output) {
				want := []GeneratedSecret{{Namespace: "demo-app", Name: "demo-app-db", Keys: []string{"password", "root-password"}, Resource: "mysql.default#demo-app.db"}}
				if diff := cmp.Diff(want, out.Workloads[0].Secrets); diff != "" {
					t.Errorf("secrets (-want +got):\n%s", diff)
				}
				wantEnv("demo-app",
					corev1.EnvVar{Name: "HOST", Value: "demo-app-db.demo-app.svc"},
					corev1.EnvVar{Name: "NAME", Value: "db"},
					secretEnv("PASSWORD", "demo-app-db", "password"),
					corev1.EnvVar{Name: "PORT", Value: "3306"},
					corev1.EnvVar{Name: "USER", Value: "db"},
				)(t, out)
			},
		},
		{
			name:      "redis",
			workloads: []string{sprintf(withDatabase, "demo-app", "", "redis", "")},
			check: wantEnv("demo-app",
				corev1.EnvVar{Name: "HOST", Value: "demo-app-db.demo-app.svc"},
				secretEnv("PASSWORD", "demo-app-db", "password"),
				corev1.EnvVar{Name: "PORT", Value: "6379"},
				corev1.EnvVar{Name: "USER", Value: "default"},
			),
		},
		{
			name:      "redis has no database name",
			workloads: []string{sprintf(withDatabase, "demo-app", "NAME: ${resources.db.name}", "redis", "")},
			problems:  []Problem{fatal("demo-app", "containers.main.variables.NAME", `unknown placeholder ${resources.db.name}: resource "db" of type redis has no output "name" (it has: host, password, port, username)`)},
		},
		{
			name:      "unknown params and class",
			workloads: []string{sprintf(withDatabase, "demo-app", "", "postgres", ", class: large, params: {version: 16}")},
			problems:  []Problem{warning("demo-app", "resources.db.params.version", "not a param of this resource type (supported: none); ignored")},
		},
		{
			name: "shared postgres across two workloads",
			workloads: []string{
				sprintf(withDatabase, "orders", "", "postgres", ", id: main-db"),
				sprintf(withDatabase, "billing", "", "postgres", ", id: main-db"),
			},
			check: func(t *testing.T, out Output) {
				if got := kinds(out.Shared); got != "Namespace/score-shared Secret/postgres-main-db Service/postgres-main-db StatefulSet/postgres-main-db" {
					t.Errorf("shared manifests: %s", got)
				}
				wantShared := []GeneratedSecret{{Namespace: SharedNamespace, Name: "postgres-main-db", Keys: []string{"password"}, Resource: "postgres.default#main-db"}}
				if diff := cmp.Diff(wantShared, out.SharedSecrets); diff != "" {
					t.Errorf("shared secrets (-want +got):\n%s", diff)
				}
				for _, w := range []string{"billing", "orders"} {
					wantEnv(w,
						corev1.EnvVar{Name: "HOST", Value: "postgres-main-db.score-shared.svc"},
						secretEnv("PASSWORD", "postgres-main-db", "password"),
						corev1.EnvVar{Name: "PORT", Value: "5432"},
						corev1.EnvVar{Name: "USER", Value: "main_db"},
					)(t, out)
				}
				for _, w := range out.Workloads {
					want := []GeneratedSecret{{Namespace: w.Name, Name: "postgres-main-db", Keys: []string{"password"}, Resource: "postgres.default#main-db"}}
					if diff := cmp.Diff(want, w.Secrets); diff != "" {
						t.Errorf("%s secrets (-want +got):\n%s", w.Name, diff)
					}
					if got := kinds(w.Manifests); got != "Namespace/"+w.Name+" Secret/postgres-main-db Deployment/"+w.Name {
						t.Errorf("%s manifests: %s", w.Name, got)
					}
				}
			},
		},
		{
			name: "shared resources differ by class",
			workloads: []string{
				sprintf(withDatabase, "orders", "", "redis", ", id: cache"),
				sprintf(withDatabase, "billing", "", "redis", ", id: cache, class: large"),
			},
			check: func(t *testing.T, out Output) {
				want := "Namespace/score-shared Secret/redis-cache Secret/redis-large-cache-d35c41 Service/redis-cache Service/redis-large-cache-d35c41 StatefulSet/redis-cache StatefulSet/redis-large-cache-d35c41"
				if got := kinds(out.Shared); got != want {
					t.Errorf("shared manifests:\n got %s\nwant %s", got, want)
				}
			},
		},
		{
			name: "shared resource declared with different params",
			workloads: []string{
				sprintf(withDatabase, "orders", "", "redis", ", id: cache"),
				sprintf(withDatabase, "billing", "", "redis", ", id: cache, params: {x: 1}"),
			},
			problems: []Problem{
				warning("billing", "resources.db.params.x", "not a param of this resource type (supported: none); ignored"),
				fatal("orders", "resources.db.params", `shared resource redis.default#cache is also declared by workload "billing" (as "db") with different params; all declarations of a shared resource must agree`),
			},
			check: func(t *testing.T, out Output) {
				if len(out.Workloads) != 1 || out.Workloads[0].Name != "billing" || len(out.Shared) == 0 {
					t.Errorf("want billing converted with the shared redis; got %d workloads, %d shared", len(out.Workloads), len(out.Shared))
				}
			},
		},
		{
			name: "shared resource of failed workloads only is not provisioned",
			workloads: []string{
				sprintf(withDatabase, "orders", "BROKEN: ${metadata.nope}", "redis", ", id: cache"),
			},
			problems: []Problem{fatal("orders", "containers.main.variables.BROKEN", `unknown placeholder ${metadata.nope}: metadata has no field "nope"`)},
			check: func(t *testing.T, out Output) {
				if len(out.Shared)+len(out.SharedSecrets) != 0 {
					t.Errorf("shared manifests of no workload: %s", kinds(out.Shared))
				}
			},
		},
		{
			name: "shared resource failing in its source workload",
			workloads: []string{`
apiVersion: score.dev/v1b1
metadata: {name: aaa}
containers: {main: {image: app}}
resources:
  dns: {type: dns, id: www, params: {x: "${metadata.nope}"}}
`, `
apiVersion: score.dev/v1b1
metadata: {name: bbb}
containers: {main: {image: app}}
resources:
  web: {type: dns, id: www, params: {x: "${metadata.nope}"}}
`},
			problems: []Problem{
				fatal("aaa", "resources.dns.params.x", `unknown placeholder ${metadata.nope}: metadata has no field "nope"`),
				fatal("bbb", "resources.web", `shared resource dns.default#www cannot be provisioned; see the problems of workload "aaa"`),
			},
		},
		{
			name: "params referring to each other",
			workloads: []string{`
apiVersion: score.dev/v1b1
metadata: {name: demo-app}
containers: {main: {image: app}}
service: {ports: {web: {port: 80}}}
resources:
  ra: {type: route, params: {host: "${resources.rb.host}", port: web}}
  rb: {type: dns, params: {x: "${resources.ra.host}"}}
`},
			problems: []Problem{
				fatal("demo-app", "resources.rb.params.x", "placeholder ${resources.ra.host}: the params of resources refer to each other in a cycle"),
			},
		},
		{
			name: "secret output in params",
			workloads: []string{`
apiVersion: score.dev/v1b1
metadata: {name: demo-app}
containers: {main: {image: app}}
service: {ports: {web: {port: 80}}}
resources:
  db: {type: postgres}
  route: {type: route, params: {host: "${resources.db.password}.example.com", port: web}}
`},
			problems: []Problem{fatal("demo-app", "resources.route.params.host", "secret outputs cannot be used in resource params, which are not secret")},
		},
	})
}

func TestConvertServicePort(t *testing.T) {
	const server = `
apiVersion: score.dev/v1b1
metadata: {name: server}
containers: {main: {image: nginx}}
service:
  ports:
    web: {port: 8080, targetPort: 80}
`
	const client = `
apiVersion: score.dev/v1b1
metadata: {name: client}
containers:
  main:
    image: busybox
    variables:
      URL: http://${resources.dep.hostname}:${resources.dep.port}
      NAME: ${resources.dep.name}
resources:
  dep:
    type: service-port
    params: %s
`
	runCases(t, []convertCase{
		{
			name:      "named port of another workload",
			workloads: []string{server, sprintf(client, "{workload: server, port: web}")},
			check: wantEnv("client",
				corev1.EnvVar{Name: "NAME", Value: "server.server.svc"},
				corev1.EnvVar{Name: "URL", Value: "http://server.server.svc:8080"},
			),
		},
		{
			name:      "port number",
			workloads: []string{server, sprintf(client, "{workload: server, port: 8080}")},
			check:     wantEnv("client", corev1.EnvVar{Name: "NAME", Value: "server.server.svc"}, corev1.EnvVar{Name: "URL", Value: "http://server.server.svc:8080"}),
		},
		{
			name:      "unknown port",
			workloads: []string{server, sprintf(client, "{workload: server, port: 80}")},
			problems:  []Problem{fatal("client", "resources.dep.params.port", `workload "server" has no service port "80"; its service ports are web (8080)`)},
		},
		{
			name:      "missing workload with a port number",
			workloads: []string{sprintf(client, "{workload: elsewhere, port: 8080}")},
			problems:  []Problem{warning("client", "resources.dep.params.workload", `workload "elsewhere" is not part of this conversion; assuming it exists as elsewhere.elsewhere.svc:8080`)},
			check:     wantEnv("client", corev1.EnvVar{Name: "NAME", Value: "elsewhere.elsewhere.svc"}, corev1.EnvVar{Name: "URL", Value: "http://elsewhere.elsewhere.svc:8080"}),
		},
		{
			name:      "missing workload with a port name",
			workloads: []string{sprintf(client, "{workload: elsewhere, port: web}")},
			problems: []Problem{
				fatal("client", "containers.main.variables.URL", `unknown placeholder ${resources.dep.port}: resource "dep" of type service-port has no output "port" (it has: hostname, name)`),
				warning("client", "resources.dep.params.workload", `workload "elsewhere" is not part of this conversion; assuming it exists as elsewhere.elsewhere.svc, and the port named "web" cannot be resolved`),
			},
		},
		{
			name:      "missing params",
			workloads: []string{sprintf(client, "{port: web}")},
			problems:  []Problem{fatal("client", "resources.dep.params.workload", "is required: the name of the workload to connect to")},
		},
	})
}
