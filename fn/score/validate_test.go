package score

import (
	"strings"
	"testing"
)

const minimal = `
apiVersion: score.dev/v1b1
metadata:
  name: demo-app
containers:
  main:
    image: nginx:1.27
`

func TestConvertValidation(t *testing.T) {
	runCases(t, []convertCase{
		{
			name:      "minimal",
			workloads: []string{minimal},
		},
		{
			name: "wrong apiVersion",
			workloads: []string{`
apiVersion: score.dev/v1b2
metadata: {name: demo-app}
containers: {main: {image: nginx}}
`},
			problems: []Problem{fatal("demo-app", "apiVersion", `must be "score.dev/v1b1", got "score.dev/v1b2"`)},
		},
		{
			name:      "missing apiVersion",
			workloads: []string{`{metadata: {name: demo-app}, containers: {main: {image: nginx}}}`},
			problems:  []Problem{fatal("demo-app", "apiVersion", `is required and must be "score.dev/v1b1"`)},
		},
		{
			name:      "missing metadata.name",
			workloads: []string{`{apiVersion: score.dev/v1b1, metadata: {}, containers: {main: {image: nginx}}}`},
			names:     []string{"demo-app"},
			problems:  []Problem{fatal("demo-app", "metadata.name", "is required")},
		},
		{
			name:      "invalid metadata.name",
			workloads: []string{`{apiVersion: score.dev/v1b1, metadata: {name: Demo_App}, containers: {main: {image: nginx}}}`},
			problems:  []Problem{fatal("Demo_App", "metadata.name", "does not match pattern '^[a-z0-9][a-z0-9-]{0,61}[a-z0-9]$'")},
		},
		{
			name:      "missing image",
			workloads: []string{`{apiVersion: score.dev/v1b1, metadata: {name: demo-app}, containers: {main: {command: [sh]}}}`},
			problems:  []Problem{fatal("demo-app", "containers.main.image", "is required")},
		},
		{
			name:      "image of the wrong type",
			workloads: []string{`{apiVersion: score.dev/v1b1, metadata: {name: demo-app}, containers: {main: {image: 5}}}`},
			problems:  []Problem{fatal("demo-app", "containers.main.image", "expected string, but got number")},
		},
		{
			name:      "image built locally",
			workloads: []string{`{apiVersion: score.dev/v1b1, metadata: {name: demo-app}, containers: {main: {image: .}}}`},
			problems:  []Problem{fatal("demo-app", "containers.main.image", `"." asks the Score tool to build the image locally, which a cluster cannot do; set the reference of a pushed image`)},
		},
		{
			name:      "no containers",
			workloads: []string{`{apiVersion: score.dev/v1b1, metadata: {name: demo-app}, containers: {}}`},
			problems:  []Problem{fatal("demo-app", "containers", "minimum 1 properties allowed, but found 0 properties")},
		},
		{
			name:      "unknown fields, sorted",
			workloads: []string{`{apiVersion: score.dev/v1b1, metadata: {name: demo-app}, zeta: 1, alpha: 2, containers: {main: {image: nginx, ports: [80]}}}`},
			problems: []Problem{
				fatal("demo-app", "alpha", "is not a known field here"),
				fatal("demo-app", "containers.main.ports", "is not a known field here"),
				fatal("demo-app", "zeta", "is not a known field here"),
			},
		},
		{
			name:      "invalid container name",
			workloads: []string{`{apiVersion: score.dev/v1b1, metadata: {name: demo-app}, containers: {Main: {image: nginx}}}`},
			problems:  []Problem{fatal("demo-app", "containers.Main", `the name "Main" is not allowed: does not match pattern '^[a-z0-9][a-z0-9-]{0,61}[a-z0-9]$'`)},
		},
		{
			name: "file with no content",
			workloads: []string{`
apiVersion: score.dev/v1b1
metadata: {name: demo-app}
containers: {main: {image: nginx, files: {/etc/app.conf: {mode: "0644"}}}}
`},
			problems: []Problem{fatal("demo-app", "containers.main.files./etc/app.conf", "exactly one of content, binaryContent or source must be set")},
		},
		{
			name: "unsupported resource type",
			workloads: []string{`
apiVersion: score.dev/v1b1
metadata: {name: demo-app}
containers: {main: {image: nginx}}
resources: {db: {type: foo}}
`},
			problems: []Problem{fatal("demo-app", "resources.db.type", `unsupported resource type "foo"; supported: amqp, dns, elasticsearch, endpoint, environment, horizontal-pod-autoscaler, kafka-topic, mongodb, mssql, mysql, postgres, postgres-instance, redis, route, s3, service, service-port, volume`)},
		},
		{
			name: "bad service port",
			workloads: []string{`
apiVersion: score.dev/v1b1
metadata: {name: demo-app}
containers: {main: {image: nginx}}
service: {ports: {web: {port: 70000, protocol: SCTP}}}
`},
			problems: []Problem{
				fatal("demo-app", "service.ports.web.port", "must be <= 65535 but found 70000"),
				fatal("demo-app", "service.ports.web.protocol", `value must be one of "TCP", "UDP"`),
			},
		},
		{
			name:      "workload name is not a namespace name",
			workloads: []string{minimal},
			names:     []string{"Demo.App"},
			problems:  []Problem{fatal("Demo.App", "", `workload name "Demo.App" cannot be a Kubernetes namespace: a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`)},
		},
		{
			name:      "reserved workload names",
			workloads: []string{minimal, minimal},
			names:     []string{"kube-system", SharedNamespace},
			problems: []Problem{
				fatal("kube-system", "", `workload name "kube-system" is reserved: it is the namespace of the cluster itself`),
				fatal(SharedNamespace, "", `workload name "score-shared" is reserved: it is the namespace of shared resources`),
			},
		},
		{
			name:      "workload name overrides metadata.name",
			workloads: []string{minimal},
			names:     []string{"demo-app-staging"},
			check: func(t *testing.T, out Output) {
				if len(out.Workloads) != 1 || out.Workloads[0].Namespace != "demo-app-staging" {
					t.Errorf("want one workload in namespace demo-app-staging, got %+v", out.Workloads)
				}
			},
		},
		{
			name:      "two workloads with one name",
			workloads: []string{minimal, minimal},
			problems: []Problem{
				fatal("demo-app", "", `workload name "demo-app" is used by 2 workloads ("test", "test"); each needs its own namespace`),
			},
		},
		{
			name: "a fatal workload does not stop the others",
			workloads: []string{minimal, `
apiVersion: score.dev/v1b1
metadata: {name: broken}
containers: {main: {image: nginx, variables: {A: "${metadata.nope}"}}}
`},
			problems: []Problem{fatal("broken", "containers.main.variables.A", `unknown placeholder ${metadata.nope}: metadata has no field "nope"`)},
			check: func(t *testing.T, out Output) {
				if len(out.Workloads) != 1 || out.Workloads[0].Name != "demo-app" {
					t.Errorf("want demo-app converted alone, got %+v", out.Workloads)
				}
			},
		},
		{
			name: "deprecated files and volumes arrays",
			workloads: []string{`
apiVersion: score.dev/v1b1
metadata: {name: demo-app}
containers:
  main:
    image: nginx
    files:
    - target: /etc/motd
      content: [hello, world]
    volumes:
    - target: /data
      source: ${resources.data}
      read_only: true
resources: {data: {type: volume}}
`},
			problems: []Problem{
				warning("demo-app", "containers.main.files", "deprecated form, migrated to object automatically; update the Score file"),
				warning("demo-app", "containers.main.files.0.content", "deprecated form, converted from array automatically; update the Score file"),
				warning("demo-app", "containers.main.volumes", "deprecated form, migrated to object automatically; update the Score file"),
				warning("demo-app", "containers.main.volumes.0.read_only", "deprecated form, migrated to readOnly automatically; update the Score file"),
			},
		},
		{
			name: "deprecated array with a repeated target",
			workloads: []string{`
apiVersion: score.dev/v1b1
metadata: {name: demo-app}
containers:
  main:
    image: nginx
    files:
    - {target: /etc/motd, content: a}
    - {target: /etc/motd, content: b}
`},
			problems: []Problem{fatal("demo-app", "containers.main.files.1.target", `target "/etc/motd" is also used by entry 0`)},
		},
		{
			name: "before is not supported",
			workloads: []string{`
apiVersion: score.dev/v1b1
metadata: {name: demo-app}
containers:
  init: {image: busybox}
  main: {image: nginx, before: {init: {ready: complete}}}
`},
			problems: []Problem{warning("demo-app", "containers.main.before", "start ordering is not supported; all containers of the pod start together")},
		},
	})
}

// TestConvertOddInputs feeds specs no YAML decoder of ours would produce but
// a caller could build by hand.
func TestConvertOddInputs(t *testing.T) {
	cyclic := map[string]any{"apiVersion": "score.dev/v1b1"}
	cyclic["metadata"] = cyclic
	tests := []struct {
		name string
		spec map[string]any
		want []Problem
	}{
		{"nil spec", nil, []Problem{{Severity: SeverityFatal, Workload: "w", Message: "the Score spec is empty", Source: "test"}}},
		{"non-string key", map[string]any{"metadata": map[any]any{1: "x"}}, []Problem{{Severity: SeverityFatal, Workload: "w", Field: "metadata", Message: "key 1 is a int, expected a string", Source: "test"}}},
		{"NaN", map[string]any{"x": nan()}, []Problem{{Severity: SeverityFatal, Workload: "w", Field: "x", Message: "NaN is not a JSON number", Source: "test"}}},
		{"channel", map[string]any{"x": make(chan int)}, []Problem{{Severity: SeverityFatal, Workload: "w", Field: "x", Message: "a chan int has no JSON form", Source: "test"}}},
		{"cycle", cyclic, []Problem{{Severity: SeverityFatal, Workload: "w", Field: strings.Repeat("metadata.", 64) + "apiVersion", Message: "nested more than 64 levels deep", Source: "test"}}},
		{"typed Go values", map[string]any{
			"apiVersion": "score.dev/v1b1",
			"metadata":   map[string]string{"name": "web"},
			"containers": map[string]any{"main": map[string]any{"image": "nginx", "args": []string{"-g", "daemon off;"}}},
			"service":    map[string]any{"ports": map[string]any{"web": map[string]any{"port": 8080, "targetPort": uint16(80)}}},
		}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ws := []Workload{{Name: "w", Source: "test", Spec: tc.spec}}
			out := Convert(ws, testOpts)
			checkInvariants(t, ws, testOpts, out)
			if diff := cmpDiff(tc.want, out.Problems); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
}
