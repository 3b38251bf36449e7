package score

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/platformcluster/function-platform-cluster/fn/score/manifest"
)

// manifestOf returns the decoded manifest of a kind and name.
func manifestOf(t *testing.T, ms []Manifest, kind, name string) any {
	t.Helper()
	for _, m := range ms {
		if k, _, n := manifest.Key(m); k == kind && n == name {
			return decodeStrict(t, m)
		}
	}
	t.Fatalf("no %s %s among %d manifests", kind, name, len(ms))
	return nil
}

func kinds(ms []Manifest) string {
	var out []string
	for _, m := range ms {
		k, _, n := manifest.Key(m)
		out = append(out, k+"/"+n)
	}
	return strings.Join(out, " ")
}

func wantKinds(want string) func(*testing.T, Output) {
	return func(t *testing.T, out Output) {
		t.Helper()
		if len(out.Workloads) != 1 {
			t.Fatalf("want one workload, got %d", len(out.Workloads))
		}
		if got := kinds(out.Workloads[0].Manifests); got != want {
			t.Errorf("manifests:\n got %s\nwant %s", got, want)
		}
	}
}

func TestConvertWorkloadKinds(t *testing.T) {
	runCases(t, []convertCase{
		{
			name: "deployment with service and annotations",
			workloads: []string{`
apiVersion: score.dev/v1b1
metadata:
  name: demo-app
  annotations:
    example.com/team: a
    k8s.score.dev/kind: Deployment
containers:
  main: {image: nginx}
service:
  ports:
    web: {port: 80, targetPort: 8080}
`},
			check: func(t *testing.T, out Output) {
				wantKinds("Namespace/demo-app Service/demo-app Deployment/demo-app")(t, out)
				ms := out.Workloads[0].Manifests
				if a := ms[2]["spec"].(map[string]any)["template"].(map[string]any)["metadata"].(map[string]any)["annotations"]; !cmp.Equal(a, map[string]any{"example.com/team": "a"}) {
					t.Errorf("pod annotations = %v, want the workload's without k8s.score.dev/", a)
				}
			},
		},
		{
			name: "statefulset with headless service",
			workloads: []string{`
apiVersion: score.dev/v1b1
metadata:
  name: demo-app
  annotations: {k8s.score.dev/kind: StatefulSet}
containers:
  main:
    image: nginx
    volumes:
      /data: {source: "${resources.data}"}
service:
  ports:
    web: {port: 80}
resources:
  data: {type: volume, params: {size: 5Gi}}
`},
			check: wantKinds("Namespace/demo-app Service/demo-app Service/demo-app-headless StatefulSet/demo-app"),
		},
		{
			name: "statefulset name of a long workload is shortened",
			workloads: []string{`
apiVersion: score.dev/v1b1
metadata:
  name: a-very-long-workload-name-that-is-exactly-sixty-three-chars-xx
  annotations: {k8s.score.dev/kind: StatefulSet}
containers:
  main: {image: nginx}
`},
			check: wantKinds("Namespace/a-very-long-workload-name-that-is-exactly-sixty-three-chars-xx " +
				"Service/a-very-long-workload-name-that-is-exactly-sixty-three-003be661 " +
				"StatefulSet/a-very-long-workload-name-that-is-exactly-s-49d73c60"),
		},
		{
			name: "unsupported kind",
			workloads: []string{`
apiVersion: score.dev/v1b1
metadata:
  name: demo-app
  annotations: {k8s.score.dev/kind: DaemonSet}
containers:
  main: {image: nginx}
`},
			problems: []Problem{fatal("demo-app", "metadata.annotations.k8s.score.dev/kind", `unsupported workload kind "DaemonSet"; use Deployment or StatefulSet`)},
		},
		{
			name: "service name annotation",
			workloads: []string{`
apiVersion: score.dev/v1b1
metadata:
  name: demo-app
  annotations: {k8s.score.dev/service-name: frontend}
containers:
  main: {image: nginx}
service:
  ports:
    web: {port: 80}
`},
			check: wantKinds("Namespace/demo-app Service/frontend Deployment/demo-app"),
		},
		{
			name: "invalid service name annotation",
			workloads: []string{`
apiVersion: score.dev/v1b1
metadata:
  name: demo-app
  annotations: {k8s.score.dev/service-name: 1frontend}
containers:
  main: {image: nginx}
`},
			problems: []Problem{fatal("demo-app", "metadata.annotations.k8s.score.dev/service-name", `"1frontend" is not a valid Service name: a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`)},
		},
		{
			name: "workload name starting with a digit gets a valid Service name",
			workloads: []string{`
apiVersion: score.dev/v1b1
metadata: {name: 9lives}
containers:
  main: {image: nginx}
service:
  ports:
    web: {port: 80}
`},
			check: wantKinds("Namespace/9lives Service/svc-9lives Deployment/9lives"),
		},
		{
			name: "generated names that collide",
			workloads: []string{`
apiVersion: score.dev/v1b1
metadata:
  name: demo
  annotations: {k8s.score.dev/service-name: demo-db}
containers:
  main: {image: nginx}
service:
  ports:
    web: {port: 80}
resources:
  db: {type: redis}
`},
			problems: []Problem{fatal("demo", "", "two generated objects are both Service demo/demo-db; rename the workload or the resource")},
		},
	})
}

func TestConvertService(t *testing.T) {
	runCases(t, []convertCase{
		{
			name: "ports sorted by name with target ports and protocols",
			workloads: []string{`
apiVersion: score.dev/v1b1
metadata: {name: demo-app}
containers:
  main: {image: nginx}
service:
  ports:
    www: {port: 8080, targetPort: 3001}
    stream: {port: 19245, protocol: UDP}
    a-very-long-port-name: {port: 9090}
    admin: {port: 9000, targetPort: 3001}
`},
			check: func(t *testing.T, out Output) {
				svc := manifestOf(t, out.Workloads[0].Manifests, "Service", "demo-app").(*corev1.Service)
				want := []corev1.ServicePort{
					{Name: "a-very-long-port-name", Port: 9090, TargetPort: intstr.FromInt32(9090), Protocol: corev1.ProtocolTCP},
					{Name: "admin", Port: 9000, TargetPort: intstr.FromInt32(3001), Protocol: corev1.ProtocolTCP},
					{Name: "stream", Port: 19245, TargetPort: intstr.FromInt32(19245), Protocol: corev1.ProtocolUDP},
					{Name: "www", Port: 8080, TargetPort: intstr.FromInt32(3001), Protocol: corev1.ProtocolTCP},
				}
				if diff := cmp.Diff(want, svc.Spec.Ports); diff != "" {
					t.Errorf("service ports (-want +got):\n%s", diff)
				}
				// One declaration per target port and protocol; names only
				// where they are valid container port names.
				wantPorts := []corev1.ContainerPort{
					{ContainerPort: 9090, Protocol: corev1.ProtocolTCP},
					{Name: "admin", ContainerPort: 3001, Protocol: corev1.ProtocolTCP},
					{Name: "stream", ContainerPort: 19245, Protocol: corev1.ProtocolUDP},
				}
				if diff := cmp.Diff(wantPorts, podOf(t, out, "demo-app").Containers[0].Ports); diff != "" {
					t.Errorf("container ports (-want +got):\n%s", diff)
				}
			},
		},
		{
			name: "ports of several containers go where the probes show them served",
			workloads: []string{`
apiVersion: score.dev/v1b1
metadata: {name: demo-app}
containers:
  web:
    image: nginx
    readinessProbe: {httpGet: {path: /, port: 80}}
  metrics:
    image: exporter
    livenessProbe: {httpGet: {path: /metrics, port: 9100}}
  sidecar:
    image: busybox
service:
  ports:
    http: {port: 80}
    metrics: {port: 9100}
    other: {port: 7000}
`},
			check: func(t *testing.T, out Output) {
				pod := podOf(t, out, "demo-app")
				got := map[string][]corev1.ContainerPort{}
				for _, c := range pod.Containers {
					got[c.Name] = c.Ports
				}
				want := map[string][]corev1.ContainerPort{
					"metrics": {{Name: "metrics", ContainerPort: 9100, Protocol: corev1.ProtocolTCP}},
					"sidecar": nil,
					"web":     {{Name: "http", ContainerPort: 80, Protocol: corev1.ProtocolTCP}},
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("container ports (-want +got):\n%s", diff)
				}
			},
		},
	})
}

func TestConvertContainer(t *testing.T) {
	runCases(t, []convertCase{
		{
			name: "command, args, limits and requests",
			workloads: []string{`
apiVersion: score.dev/v1b1
metadata: {name: demo-app}
containers:
  main:
    image: busybox
    command: ["/bin/sh", "-c"]
    args: ["echo $${HOME}"]
    resources:
      requests: {cpu: 250m, memory: 64Mi}
      limits: {cpu: "0.5", memory: 128M}
`},
			check: func(t *testing.T, out Output) {
				c := podOf(t, out, "demo-app").Containers[0]
				want := corev1.ResourceRequirements{
					Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("250m"), corev1.ResourceMemory: resource.MustParse("64Mi")},
					Limits:   corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("500m"), corev1.ResourceMemory: resource.MustParse("128M")},
				}
				if !cmp.Equal(want, c.Resources, cmp.Comparer(func(a, b resource.Quantity) bool { return a.Cmp(b) == 0 })) {
					t.Errorf("resources = %+v, want %+v", c.Resources, want)
				}
				// Score does not substitute command and args; Kubernetes
				// reduces $$ to $, leaving ${HOME} for the shell.
				if !cmp.Equal(c.Args, []string{"echo $${HOME}"}) || !cmp.Equal(c.Command, []string{"/bin/sh", "-c"}) {
					t.Errorf("command/args = %v %v", c.Command, c.Args)
				}
			},
		},
		{
			name: "request above limit",
			workloads: []string{`
apiVersion: score.dev/v1b1
metadata: {name: demo-app}
containers:
  main:
    image: busybox
    resources:
      requests: {memory: 1Gi}
      limits: {memory: 512Mi}
`},
			problems: []Problem{fatal("demo-app", "containers.main.resources.requests.memory", "request 1Gi is above the limit 512Mi; Kubernetes refuses that")},
		},
	})
}

func TestConvertProbes(t *testing.T) {
	runCases(t, []convertCase{
		{
			name: "httpGet and exec",
			workloads: []string{`
apiVersion: score.dev/v1b1
metadata: {name: demo-app}
containers:
  main:
    image: nginx
    livenessProbe:
      exec: {command: [/bin/check, --live]}
    readinessProbe:
      httpGet:
        scheme: HTTPS
        host: 127.0.0.1
        path: /ready
        port: 8443
        httpHeaders:
        - {name: X-Probe, value: ready}
        - {name: Accept, value: text/plain}
`},
			check: func(t *testing.T, out Output) {
				c := podOf(t, out, "demo-app").Containers[0]
				wantLive := &corev1.Probe{ProbeHandler: corev1.ProbeHandler{Exec: &corev1.ExecAction{Command: []string{"/bin/check", "--live"}}}}
				wantReady := &corev1.Probe{ProbeHandler: corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{
					Scheme: corev1.URISchemeHTTPS, Host: "127.0.0.1", Path: "/ready", Port: intstr.FromInt32(8443),
					HTTPHeaders: []corev1.HTTPHeader{{Name: "X-Probe", Value: "ready"}, {Name: "Accept", Value: "text/plain"}},
				}}}
				if diff := cmp.Diff(wantLive, c.LivenessProbe); diff != "" {
					t.Errorf("liveness (-want +got):\n%s", diff)
				}
				if diff := cmp.Diff(wantReady, c.ReadinessProbe); diff != "" {
					t.Errorf("readiness (-want +got):\n%s", diff)
				}
			},
		},
		{
			name: "both handlers keep exec",
			workloads: []string{`
apiVersion: score.dev/v1b1
metadata: {name: demo-app}
containers:
  main:
    image: nginx
    livenessProbe:
      exec: {command: [curl, -f, localhost]}
      httpGet: {path: /, port: 80}
`},
			problems: []Problem{warning("demo-app", "containers.main.livenessProbe.httpGet", "a Kubernetes probe has a single handler; exec is used and httpGet dropped, as the Score spec prefers exec")},
			check: func(t *testing.T, out Output) {
				if p := podOf(t, out, "demo-app").Containers[0].LivenessProbe; p == nil || p.Exec == nil || p.HTTPGet != nil {
					t.Errorf("want an exec probe, got %+v", p)
				}
			},
		},
		{
			name: "empty probe and empty command",
			workloads: []string{`
apiVersion: score.dev/v1b1
metadata: {name: demo-app}
containers:
  main:
    image: nginx
    livenessProbe: {}
  other:
    image: nginx
    readinessProbe: {exec: {command: []}}
`},
			problems: []Problem{
				warning("demo-app", "containers.main.livenessProbe", "has neither httpGet nor exec; no probe is set"),
				fatal("demo-app", "containers.other.readinessProbe.exec.command", "must not be empty"),
			},
		},
	})
}
