package score

import (
	"strings"
	"testing"
)

func strp(s string) *string { return &s }

const withEnvironment = `
apiVersion: score.dev/v1b1
metadata: {name: blog}
containers:
  web:
    image: nginx
    variables:
      EXTERNAL_URL: ${resources.env.SCHEME}${resources.dns.host}
      API_KEY: ${resources.env.API_KEY}
resources:
  env: {type: environment}
  dns: {type: dns}
`

// TestEnvironment: environment outputs come from the claim over the
// Input, a secret only by reference; a key nobody gives, or a value that
// is not one, is an error for its workload naming where to give it.
func TestEnvironment(t *testing.T) {
	opts := testOpts
	opts.EnvironmentField = "the function Input's workloads.environment"
	opts.Environment = map[string]EnvValue{"SCHEME": {Value: strp("http://")}, "UNUSED": {}}
	cases := map[string]struct {
		env      map[string]EnvValue
		want     []string
		problems []Problem
	}{
		// The Input's UNUSED has no value: no problem while no one uses it.
		"ClaimOverInputSecretByReference": {
			env: map[string]EnvValue{"SCHEME": {Value: strp("https://")}, "API_KEY": {SecretName: "blog-api", SecretKey: "key"}},
			want: []string{
				`{"name":"EXTERNAL_URL","value":"https://blog-dns.apps.example.com"}`,
				`{"name":"API_KEY","valueFrom":{"secretKeyRef":{"key":"key","name":"blog-api"}}}`,
			},
		},
		"AKeyNobodyGives": {
			problems: []Problem{
				fatal("blog", "containers.web.variables.API_KEY", `unknown placeholder ${resources.env.API_KEY}: resource "env" of type environment has no output "API_KEY" (it has: SCHEME); environment values are given at spec.workloads[0].environment or in the function Input's workloads.environment`),
			},
		},
		"BothValueAndSecretInTheClaim": {
			env: map[string]EnvValue{"API_KEY": {Value: strp("x"), SecretName: "s", SecretKey: "k"}},
			problems: []Problem{
				fatal("blog", "", "spec.workloads[0].environment.API_KEY: give either value or secretKeyRef, not both"),
			},
		},
		"ABadValueOfItsOwnFailsTheWorkload": {
			env: map[string]EnvValue{"API_KEY": {Value: strp("k")}, "SCHEME": {}},
			problems: []Problem{
				fatal("blog", "", "spec.workloads[0].environment.SCHEME: has no value; give value or secretKeyRef"),
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			w := workload(t, withEnvironment)
			w.Deploy = Deploy{Field: "spec.workloads[0]", Environment: tc.env}
			out := Convert([]Workload{w}, opts)
			if diff := cmpDiff(tc.problems, out.Problems); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
			if len(tc.want) == 0 {
				return
			}
			if len(out.Workloads) == 0 {
				t.Fatal("blog did not convert")
			}
			d := jsonText(kindOf(t, out, "blog", "Deployment"))
			for _, want := range tc.want {
				if !strings.Contains(d, want) {
					t.Errorf("want %s in %s", want, d)
				}
			}
		})
	}
}

// TestEnvironmentBadPlatformValue: a platform value with no value fails
// the workload whose placeholder uses it, naming the Input field, and
// not the workload that does not.
func TestEnvironmentBadPlatformValue(t *testing.T) {
	opts := testOpts
	opts.EnvironmentField = "the function Input's workloads.environment"
	opts.Environment = map[string]EnvValue{"TOKEN": {SecretName: "Not_A_Name", SecretKey: "k"}, "MODE": {Value: strp("prod")}}
	user := workload(t, "apiVersion: score.dev/v1b1\nmetadata: {name: user}\ncontainers: {main: {image: nginx, variables: {T: '${resources.env.TOKEN}'}}}\nresources: {env: {type: environment}}\n")
	other := workload(t, "apiVersion: score.dev/v1b1\nmetadata: {name: other}\ncontainers: {main: {image: nginx, variables: {M: '${resources.env.MODE}'}}}\nresources: {env: {type: environment}}\n")
	out := Convert([]Workload{user, other}, opts)
	want := []Problem{fatal("user", "containers.main.variables.T",
		`placeholder ${resources.env.TOKEN}: the function Input's workloads.environment.TOKEN: secretKeyRef.name: "Not_A_Name" is not a Secret name: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`)}
	if diff := cmpDiff(want, out.Problems); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	if len(out.Workloads) != 1 || out.Workloads[0].Name != "other" {
		t.Errorf("want only other converted, got %v", out.Workloads)
	}
}
