package score

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	gatewayv1 "sigs.k8s.io/gateway-api/apis/v1"
)

const routed = `
apiVersion: score.dev/v1b1
metadata: {name: demo-app}
containers:
  main: {image: nginx}
service:
  ports:
    web: {port: 8080, targetPort: 80}
    metrics: {port: 9090}
    dns-udp: {port: 53, protocol: UDP}
resources:
  dns: {type: dns}
  route:
    type: route
    params: %s
`

func routeOf(t *testing.T, out Output) *gatewayv1.HTTPRoute {
	t.Helper()
	return manifestOf(t, out.Workloads[0].Manifests, "HTTPRoute", "demo-app-route").(*gatewayv1.HTTPRoute)
}

func wantRoute(path string, typ gatewayv1.PathMatchType, port int32, url string) func(*testing.T, Output) {
	return func(t *testing.T, out Output) {
		t.Helper()
		r := routeOf(t, out)
		want := gatewayv1.HTTPRouteSpec{
			CommonRouteSpec: gatewayv1.CommonRouteSpec{ParentRefs: []gatewayv1.ParentReference{{
				Group:     new(gatewayv1.Group("gateway.networking.k8s.io")),
				Kind:      new(gatewayv1.Kind("Gateway")),
				Namespace: new(gatewayv1.Namespace("gateway")),
				Name:      "platform",
			}}},
			Hostnames: []gatewayv1.Hostname{"demo-app-dns.apps.example.com"},
			Rules: []gatewayv1.HTTPRouteRule{{
				Matches: []gatewayv1.HTTPRouteMatch{{Path: &gatewayv1.HTTPPathMatch{Type: &typ, Value: &path}}},
				BackendRefs: []gatewayv1.HTTPBackendRef{{BackendRef: gatewayv1.BackendRef{
					BackendObjectReference: gatewayv1.BackendObjectReference{Name: "demo-app", Port: &port},
				}}},
			}},
		}
		if diff := cmp.Diff(want, r.Spec); diff != "" {
			t.Errorf("route spec (-want +got):\n%s", diff)
		}
		if got := out.Workloads[0].URL; got != url {
			t.Errorf("URL = %q, want %q", got, url)
		}
	}
}

func TestConvertRoutes(t *testing.T) {
	runCases(t, []convertCase{
		{
			name:      "numeric port",
			workloads: []string{sprintf(routed, `{host: "${resources.dns.host}", path: /api, port: 8080}`)},
			check:     wantRoute("/api", gatewayv1.PathMatchPathPrefix, 8080, "http://demo-app-dns.apps.example.com/api"),
		},
		{
			name:      "named port resolves to the service port number",
			workloads: []string{sprintf(routed, `{host: "${resources.dns.host}", path: /, port: web}`)},
			check:     wantRoute("/", gatewayv1.PathMatchPathPrefix, 8080, "http://demo-app-dns.apps.example.com/"),
		},
		{
			name:      "port number given as a string and default path",
			workloads: []string{sprintf(routed, `{host: "${resources.dns.host}", port: "9090"}`)},
			check:     wantRoute("/", gatewayv1.PathMatchPathPrefix, 9090, "http://demo-app-dns.apps.example.com/"),
		},
		{
			name:      "regular expression path",
			workloads: []string{sprintf(routed, `{host: "${resources.dns.host}", path: "/my/[^/]+/path", port: web}`)},
			problems:  []Problem{warning("demo-app", "resources.route.params.path", `"/my/[^/]+/path" is not a path prefix, so it is matched as a regular expression; whether and how the Gateway supports that is implementation-specific`)},
			check:     wantRoute("/my/[^/]+/path", gatewayv1.PathMatchRegularExpression, 8080, "http://demo-app-dns.apps.example.com/"),
		},
		{
			name:      "unknown port",
			workloads: []string{sprintf(routed, `{host: "${resources.dns.host}", port: http}`)},
			problems:  []Problem{fatal("demo-app", "resources.route.params.port", `"http" is not a service port of this workload; its service ports are dns-udp (53), metrics (9090), web (8080)`)},
		},
		{
			name:      "target port is not a service port",
			workloads: []string{sprintf(routed, `{host: "${resources.dns.host}", port: 80}`)},
			problems:  []Problem{fatal("demo-app", "resources.route.params.port", `"80" is not a service port of this workload; its service ports are dns-udp (53), metrics (9090), web (8080)`)},
		},
		{
			name:      "udp port",
			workloads: []string{sprintf(routed, `{host: "${resources.dns.host}", port: dns-udp}`)},
			problems:  []Problem{fatal("demo-app", "resources.route.params.port", `service port "dns-udp" is UDP; HTTP routes need a TCP port`)},
		},
		{
			name:      "bad params",
			workloads: []string{sprintf(routed, `{host: "Not A Host", path: "api", port: [1], weight: 3}`)},
			problems: []Problem{
				fatal("demo-app", "resources.route.params.host", `"Not A Host" is not a valid route hostname: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`),
				warning("demo-app", "resources.route.params.weight", "not a param of this resource type (supported: host, path, port); ignored"),
			},
		},
		{
			name:      "more bad params",
			workloads: []string{sprintf(routed, `{host: 10.0.0.1, path: "api", port: web}`)},
			problems:  []Problem{fatal("demo-app", "resources.route.params.host", `"10.0.0.1" is not a valid route hostname: IP addresses are not allowed`)},
		},
		{
			name:      "path that is neither prefix nor expression",
			workloads: []string{sprintf(routed, `{host: app.example.com, path: "/a//b", port: web}`)},
			problems:  []Problem{fatal("demo-app", "resources.route.params.path", `"/a//b" is neither a valid path prefix (it contains //) nor a regular expression`)},
		},
		{
			name:      "relative path",
			workloads: []string{sprintf(routed, `{host: app.example.com, path: "api", port: web}`)},
			problems:  []Problem{fatal("demo-app", "resources.route.params.path", `"api" must start with /`)},
		},
		{
			name:      "missing host and port",
			workloads: []string{sprintf(routed, `{path: /}`)},
			problems:  []Problem{fatal("demo-app", "resources.route.params.host", "is required, e.g. ${resources.dns.host}")},
		},
		{
			name:      "missing port",
			workloads: []string{sprintf(routed, `{host: app.example.com}`)},
			problems:  []Problem{fatal("demo-app", "resources.route.params.port", "is required: the name or number of one of the workload's service ports")},
		},
		{
			name: "no service ports",
			workloads: []string{`
apiVersion: score.dev/v1b1
metadata: {name: demo-app}
containers: {main: {image: nginx}}
resources:
  route: {type: route, params: {host: app.example.com, port: 80}}
`},
			problems: []Problem{fatal("demo-app", "resources.route.params.port", `"80" is not a service port of this workload; it publishes no service ports`)},
		},
		{
			name:      "no gateway configured",
			workloads: []string{sprintf(routed, `{host: app.example.com, port: web}`)},
			opts:      &Options{},
			problems:  []Problem{fatal("demo-app", "resources.route", "routes need a Gateway to attach to, and none is configured for this platform")},
		},
		{
			name:      "gateway in the route's namespace",
			workloads: []string{sprintf(routed, `{host: app.example.com, port: web}`)},
			opts:      &Options{GatewayName: "local"},
			check: func(t *testing.T, out Output) {
				want := []gatewayv1.ParentReference{{
					Group: new(gatewayv1.Group("gateway.networking.k8s.io")),
					Kind:  new(gatewayv1.Kind("Gateway")),
					Name:  "local",
				}}
				if diff := cmp.Diff(want, routeOf(t, out).Spec.ParentRefs); diff != "" {
					t.Errorf("parentRefs (-want +got):\n%s", diff)
				}
			},
		},
		{
			name: "first route by name gives the URL; wildcard hosts give none",
			workloads: []string{`
apiVersion: score.dev/v1b1
metadata: {name: demo-app}
containers: {main: {image: nginx}}
service: {ports: {web: {port: 80}}}
resources:
  b-route: {type: route, params: {host: b.example.com, path: /b, port: web}}
  a-route: {type: route, params: {host: "*.example.com", port: web}}
`},
			check: func(t *testing.T, out Output) {
				if got := out.Workloads[0].URL; got != "http://b.example.com/b" {
					t.Errorf("URL = %q", got)
				}
			},
		},
	})
}
