package score

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"

	"github.com/platformcluster/function-platform-cluster/fn/score/names"

	"github.com/platformcluster/function-platform-cluster/fn/score/provision"
)

// podOf returns the pod template of the workload's Deployment or StatefulSet.
func podOf(t *testing.T, out Output, workload string) corev1.PodSpec {
	t.Helper()
	for _, w := range out.Workloads {
		if w.Name != workload {
			continue
		}
		for _, m := range w.Manifests {
			switch o := decodeStrict(t, m).(type) {
			case *appsv1.Deployment:
				if o.Name == workload {
					return o.Spec.Template.Spec
				}
			case *appsv1.StatefulSet:
				if o.Name == names.Stable(names.MaxStatefulSet, workload) {
					return o.Spec.Template.Spec
				}
			}
		}
	}
	t.Fatalf("no pod for workload %s", workload)
	return corev1.PodSpec{}
}

// wantEnv asserts the env of the first container of the workload.
func wantEnv(workload string, want ...corev1.EnvVar) func(*testing.T, Output) {
	return func(t *testing.T, out Output) {
		t.Helper()
		if diff := cmp.Diff(want, podOf(t, out, workload).Containers[0].Env); diff != "" {
			t.Errorf("env (-want +got):\n%s", diff)
		}
	}
}

func secretEnv(name, secret, key string) corev1.EnvVar {
	return corev1.EnvVar{Name: name, ValueFrom: provision.SecretRef{Name: secret, Key: key}.EnvVarSource()}
}

func TestConvertVariables(t *testing.T) {
	runCases(t, []convertCase{
		{
			name: "sorted, with metadata placeholders and escapes",
			workloads: []string{`
apiVersion: score.dev/v1b1
metadata:
  name: demo-app
  team: 7
  annotations:
    example.com/owner: team-a
containers:
  main:
    image: nginx
    variables:
      Z_LAST: z
      NAME: ${metadata.name}
      OWNER: ${metadata.annotations.example\.com/owner}
      TEAM: ${metadata.team}
      LITERAL: $${metadata.name} costs $$5
      K8S_EXPANSION: echo $(HOME)
      EMPTY: ""
`},
			check: wantEnv("demo-app",
				corev1.EnvVar{Name: "EMPTY"},
				corev1.EnvVar{Name: "K8S_EXPANSION", Value: "echo $$(HOME)"},
				corev1.EnvVar{Name: "LITERAL", Value: "${metadata.name} costs $5"},
				corev1.EnvVar{Name: "NAME", Value: "demo-app"},
				corev1.EnvVar{Name: "OWNER", Value: "team-a"},
				corev1.EnvVar{Name: "TEAM", Value: "7"},
				corev1.EnvVar{Name: "Z_LAST", Value: "z"},
			),
		},
		{
			name: "unknown placeholders",
			workloads: []string{`
apiVersion: score.dev/v1b1
metadata: {name: demo-app}
containers:
  main:
    image: nginx
    variables:
      A: ${resources.nope.x}
      B: ${metadata.nope}
      C: ${nope.x}
      D: ${resources.db.nope}
      E: ${resources.db}
      F: ${resources.db.host.x}
      G: ${metadata.name.x}
      H: ${}
resources:
  db: {type: postgres}
`},
			problems: []Problem{
				fatal("demo-app", "containers.main.variables.A", `unknown placeholder ${resources.nope.x}: there is no resource named "nope"`),
				fatal("demo-app", "containers.main.variables.B", `unknown placeholder ${metadata.nope}: metadata has no field "nope"`),
				fatal("demo-app", "containers.main.variables.C", `unknown placeholder ${nope.x}: placeholders start with metadata or resources (write $${ for a literal ${)`),
				fatal("demo-app", "containers.main.variables.D", `unknown placeholder ${resources.db.nope}: resource "db" of type postgres has no output "nope" (it has: database, host, name, password, port, username)`),
				fatal("demo-app", "containers.main.variables.E", `placeholder ${resources.db} names a whole resource; name one of its outputs (it has: database, host, name, password, port, username)`),
				fatal("demo-app", "containers.main.variables.F", `unknown placeholder ${resources.db.host.x}: output "host" of resource "db" has no fields`),
				fatal("demo-app", "containers.main.variables.G", `unknown placeholder ${metadata.name.x}: metadata.name is not a map`),
				fatal("demo-app", "containers.main.variables.H", `unknown placeholder ${}: placeholders start with metadata or resources (write $${ for a literal ${)`),
			},
		},
		{
			name: "secret outputs are read from the Secret",
			workloads: []string{`
apiVersion: score.dev/v1b1
metadata: {name: demo-app}
containers:
  main:
    image: nginx
    variables:
      DB_PASSWORD: ${resources.db.password}
      DB_HOST: ${resources.db.host}
resources:
  db: {type: postgres}
`},
			check: wantEnv("demo-app",
				corev1.EnvVar{Name: "DB_HOST", Value: "demo-app-db.demo-app.svc"},
				secretEnv("DB_PASSWORD", "demo-app-db", "password"),
			),
		},
		{
			name: "secret outputs mixed with text use helper variables",
			workloads: []string{`
apiVersion: score.dev/v1b1
metadata: {name: demo-app}
containers:
  main:
    image: nginx
    variables:
      URL: postgres://${resources.db.username}:${resources.db.password}@${resources.db.host}/${resources.db.name}?cost=$$5
      AGAIN: ${resources.db.password}${resources.db.password}
resources:
  db: {type: postgres}
`},
			check: wantEnv("demo-app",
				secretEnv("__ref_1e5b482f57d83bfc", "demo-app-db", "password"),
				corev1.EnvVar{Name: "AGAIN", Value: "$(__ref_1e5b482f57d83bfc)$(__ref_1e5b482f57d83bfc)"},
				corev1.EnvVar{Name: "URL", Value: "postgres://db:$(__ref_1e5b482f57d83bfc)@demo-app-db.demo-app.svc/db?cost=$$5"},
			),
		},
		{
			name: "reserved variable name",
			workloads: []string{`
apiVersion: score.dev/v1b1
metadata: {name: demo-app}
containers: {main: {image: nginx, variables: {__ref_x: "1"}}}
`},
			problems: []Problem{fatal("demo-app", "containers.main.variables.__ref_x", `variable names starting with "__ref_" are reserved for secret references`)},
		},
		{
			name: "variable name Kubernetes refuses",
			workloads: []string{`
apiVersion: score.dev/v1b1
metadata: {name: demo-app}
containers: {main: {image: nginx, variables: {"caf\u00e9": "1", "TAB\tNAME": "2", "with space": "3"}}}
`},
			problems: []Problem{
				fatal("demo-app", "containers.main.variables.TAB\tNAME", `"TAB\tNAME" is not an environment variable name Kubernetes accepts: a valid environment variable name must consist only of printable ASCII characters other than '='`),
				fatal("demo-app", "containers.main.variables.café", `"café" is not an environment variable name Kubernetes accepts: a valid environment variable name must consist only of printable ASCII characters other than '='`),
			},
		},
		{
			name: "variables of several containers",
			workloads: []string{`
apiVersion: score.dev/v1b1
metadata: {name: demo-app}
containers:
  web: {image: nginx, variables: {ROLE: web}}
  api: {image: api:1, variables: {ROLE: api}}
`},
			check: func(t *testing.T, out Output) {
				pod := podOf(t, out, "demo-app")
				if pod.Containers[0].Name != "api" || pod.Containers[0].Env[0].Value != "api" || pod.Containers[1].Env[0].Value != "web" {
					t.Errorf("containers not sorted or env mixed up: %+v", pod.Containers)
				}
			},
		},
	})
}

func TestResolve(t *testing.T) {
	secret := &provision.SecretRef{Name: "s", Key: "k"}
	r := &resolver{
		metadata: map[string]any{"name": "demo", "annotations": map[string]any{"a.b/c": "v"}, "nul": "x\x00y"},
		resource: func(name string) (*provision.Result, error) {
			switch name {
			case "db":
				return &provision.Result{Type: "postgres", Outputs: map[string]provision.Output{"host": provision.Plain("h"), "password": {Secret: secret}}}, nil
			case "broken":
				return provision.FailedResult("postgres"), errResourceFailed
			}
			return nil, errNoResource
		},
	}
	tests := []struct {
		in   string
		want provision.Text
		msgs []string
	}{
		{"", provision.Text{{Text: ""}}, nil},
		{"plain", provision.Text{{Text: "plain"}}, nil},
		{"${metadata.name}", provision.Text{{Text: "demo"}}, nil},
		{`${metadata.annotations.a\.b/c}`, provision.Text{{Text: "v"}}, nil},
		{"$${metadata.name}", provision.Text{{Text: "${metadata.name}"}}, nil},
		{"$$", provision.Text{{Text: "$"}}, nil},
		{"${resources.db.password}", provision.Text{{Secret: secret}}, nil},
		{"a${resources.db.password}b${resources.db.host}", provision.Text{{Text: "a"}, {Secret: secret}, {Text: "bh"}}, nil},
		{"${resources.db.password}${resources.db.password}", provision.Text{{Secret: secret}, {Secret: secret}}, nil},
		{"x\x00${resources.db.password}", nil, []string{"contains a NUL character"}},
		{"${metadata.nul}", nil, []string{"placeholder ${metadata.nul}: the value contains a NUL character"}},
		{"${resources.broken.host}", nil, []string{}},
		{"${resources}", nil, []string{"unknown placeholder ${resources}: name a resource and an output, e.g. ${resources.db.host}"}},
		{"${metadata}", nil, []string{"unknown placeholder ${metadata}: name a metadata field, e.g. ${metadata.name}"}},
	}
	for _, tc := range tests {
		got, msgs := r.resolve(tc.in)
		if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(provision.Segment{}, provision.SecretRef{})); diff != "" {
			t.Errorf("resolve(%q) (-want +got):\n%s", tc.in, diff)
		}
		if diff := cmp.Diff(tc.msgs, msgs); diff != "" {
			t.Errorf("resolve(%q) messages (-want +got):\n%s", tc.in, diff)
		}
	}
}

func TestEscapeEnv(t *testing.T) {
	for in, want := range map[string]string{
		"":            "",
		"a$b":         "a$b",
		"$HOME":       "$HOME",
		"$(HOME)":     "$$(HOME)",
		"a$$b $x":     "a$$$$b $$x",
		"${x} $(y) $": "$${x} $$(y) $$",
	} {
		if got := escapeEnv(in); got != want {
			t.Errorf("escapeEnv(%q) = %q, want %q", in, got, want)
		}
	}
}
