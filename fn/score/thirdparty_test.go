package score

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/yaml"
)

// thirdparty reads real Score files kept under testdata/thirdparty (see the
// README there for their origin). Source is the path below that directory.
func thirdparty(t testing.TB, paths ...string) []Workload {
	t.Helper()
	var ws []Workload
	for _, p := range paths {
		raw, err := os.ReadFile(filepath.Join("testdata", "thirdparty", filepath.FromSlash(p)))
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := yaml.Unmarshal(raw, &m); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		ws = append(ws, Workload{Spec: m, Source: p})
	}
	return ws
}

func from(source string, p Problem) Problem {
	p.Source = source
	return p
}

func TestConvertThirdParty(t *testing.T) {
	const (
		examples = "score-spec/examples/"
		spec     = "score-spec/spec/"
		compose  = "score-spec/score-compose/"
	)
	tests := []struct {
		name     string
		files    []string
		problems []Problem
		// workloads that must convert
		converted []string
	}{
		{name: "examples dns and route", files: []string{examples + "resources/dns/score.yaml"}, converted: []string{"my-workload"}},
		{name: "examples postgres", files: []string{examples + "resources/postgres/score.yaml"}, converted: []string{"my-workload"}},
		{name: "examples redis", files: []string{examples + "resources/redis/score.yaml"}, converted: []string{"my-workload"}},
		{name: "examples mysql", files: []string{examples + "resources/mysql/score.yaml"}, converted: []string{"my-workload"}},
		{name: "examples probes", files: []string{examples + "specification/probes/score.yaml"}, converted: []string{"my-workload"}},
		{name: "examples volumes", files: []string{examples + "specification/volumes/score.yaml"}, converted: []string{"my-workload"}},
		{name: "examples service", files: []string{examples + "specification/service/score.yaml"}, converted: []string{"my-workload"}},
		{name: "examples variables", files: []string{examples + "specification/variables/score.yaml"}, converted: []string{"my-workload"}},
		{name: "examples annotations", files: []string{examples + "specification/annotations/score.yaml"}, converted: []string{"my-workload"}},
		{name: "examples command", files: []string{examples + "specification/command/score.yaml"}, converted: []string{"my-workload"}},
		{name: "examples limits and requests", files: []string{examples + "specification/limits-and-requests/score.yaml"}, converted: []string{"my-workload"}},
		{name: "examples onlineboutique cart, redis in a connection string", files: []string{examples + "samples/onlineboutique/cart/score.yaml"}, converted: []string{"cart"}},
		{
			name:  "examples amqp is not supported",
			files: []string{examples + "resources/amqp/score.yaml"},
			problems: []Problem{from(examples+"resources/amqp/score.yaml",
				fatal("my-workload", "resources.my-amqp.type", `unsupported resource type "amqp"; supported: dns, mysql, postgres, redis, route, service-port, volume`))},
		},
		{
			name:  "examples files read from disk",
			files: []string{examples + "specification/files/score.yaml"},
			problems: []Problem{from(examples+"specification/files/score.yaml",
				fatal("my-workload", "containers.my-container.files./fileA.txt.source", `"fileA.txt" would be read from disk next to the Score file, which is not available here; inline the file with content, or binaryContent for binary data`))},
		},
		{
			name:  "examples onlineboutique frontend needs the community service type",
			files: []string{examples + "samples/onlineboutique/frontend/score.yaml"},
			problems: func() []Problem {
				var ps []Problem
				for _, r := range []string{"ad", "cart", "checkout", "currency", "payment", "productcatalog", "recommendation", "shipping"} {
					ps = append(ps, from(examples+"samples/onlineboutique/frontend/score.yaml",
						fatal("frontend", "resources."+r+".type", `unsupported resource type "service"; supported: dns, mysql, postgres, redis, route, service-port, volume`)))
				}
				return ps
			}(),
		},
		{
			name:  "examples traderx ingress is built locally",
			files: []string{examples + "samples/traderx/ingress/score.yaml"},
			problems: func() []Problem {
				src := examples + "samples/traderx/ingress/score.yaml"
				ps := []Problem{from(src, fatal("ingress", "containers.ingress.image", `"." asks the Score tool to build the image locally, which a cluster cannot do; set the reference of a pushed image`))}
				for _, r := range []string{"account-service", "database", "people-service", "reference-data", "trade-feed", "trade-processor", "trade-service", "web-frontend"} {
					ps = append(ps, from(src, fatal("ingress", "resources."+r+".type", `unsupported resource type "service"; supported: dns, mysql, postgres, redis, route, service-port, volume`)))
				}
				return ps
			}(),
		},
		{
			name:  "spec full sample",
			files: []string{spec + "samples/score-full.yaml"},
			problems: func() []Problem {
				src := spec + "samples/score-full.yaml"
				return []Problem{
					from(src, fatal("example-workload-name123", "containers.container-one1.files./my/file.source", `"file.txt" would be read from disk next to the Score file, which is not available here; inline the file with content, or binaryContent for binary data`)),
					from(src, warning("example-workload-name123", "containers.container-one1.livenessProbe.httpGet", "a Kubernetes probe has a single handler; exec is used and httpGet dropped, as the Score spec prefers exec")),
					from(src, fatal("example-workload-name123", "containers.container-one1.resources.requests.cpu", "request 1 is above the limit 240m; Kubernetes refuses that")),
					from(src, fatal("example-workload-name123", "containers.container-one1.resources.requests.memory", "request 10Gi is above the limit 128M; Kubernetes refuses that")),
					from(src, fatal("example-workload-name123", "containers.container-one1.volumes./mnt/something-else.source", `must be one placeholder naming a volume resource, like ${resources.data}; got "volume-two"`)),
					from(src, fatal("example-workload-name123", "containers.container-one1.volumes./mnt/something.source", `must be one placeholder naming a volume resource, like ${resources.data}; got "volume-name"`)),
					from(src, fatal("example-workload-name123", "containers.container-two2.image", `"." asks the Score tool to build the image locally, which a cluster cannot do; set the reference of a pushed image`)),
					from(src, fatal("example-workload-name123", "resources.resource-one1.type", `unsupported resource type "Resource-One"; supported: dns, mysql, postgres, redis, route, service-port, volume`)),
					from(src, fatal("example-workload-name123", "resources.resource-three.type", `unsupported resource type "Type-Three"; supported: dns, mysql, postgres, redis, route, service-port, volume`)),
					from(src, fatal("example-workload-name123", "resources.resource-two2.type", `unsupported resource type "Resource-Two"; supported: dns, mysql, postgres, redis, route, service-port, volume`)),
				}
			}(),
		},
		{
			name:  "spec deprecated files and volumes",
			files: []string{spec + "samples/score-deprecated-files-and-volumes.yaml"},
			problems: func() []Problem {
				src := spec + "samples/score-deprecated-files-and-volumes.yaml"
				w := "deprecated-files-example"
				return []Problem{
					from(src, warning(w, "containers.main.files", "deprecated form, migrated to object automatically; update the Score file")),
					from(src, warning(w, "containers.main.volumes", "deprecated form, migrated to object automatically; update the Score file")),
					from(src, fatal(w, "containers.main.volumes./mnt/vol.source", `must be one placeholder naming a volume resource, like ${resources.data}; got "some-volume"`)),
				}
			}(),
		},
		{
			name:  "compose files read from disk",
			files: []string{compose + "examples/03-files/score.yaml"},
			problems: []Problem{from(compose+"examples/03-files/score.yaml",
				fatal("hello-world", "containers.hello.files./fileA.txt.source", `"fileA.txt" would be read from disk next to the Score file, which is not available here; inline the file with content, or binaryContent for binary data`))},
		},
		{
			name:      "compose multiple workloads and containers",
			files:     []string{compose + "examples/04-multiple-workloads/score.yaml", compose + "examples/04-multiple-workloads/score2.yaml"},
			converted: []string{"hello-world", "hello-world-2"},
		},
		{name: "compose volume mounts", files: []string{compose + "examples/05-volume-mounts/score.yaml"}, converted: []string{"hello-world"}},
		{
			name:      "compose shared redis",
			files:     []string{compose + "examples/06-resource-provisioning/score.yaml", compose + "examples/06-resource-provisioning/score2.yaml"},
			converted: []string{"workload-one", "workload-two"},
		},
		{
			name:      "compose service port",
			files:     []string{compose + "examples/08-service-port-resource/scoreA.yaml", compose + "examples/08-service-port-resource/scoreB.yaml"},
			converted: []string{"workload-a", "workload-b"},
		},
		{
			name:  "compose dns and route with a named port",
			files: []string{compose + "examples/09-dns-and-route/score.yaml"},
			problems: func() []Problem {
				src := compose + "examples/09-dns-and-route/score.yaml"
				return []Problem{
					from(src, warning("hello-world", "containers.web.files", "deprecated form, migrated to object automatically; update the Score file")),
					from(src, warning("hello-world", "resources.route.params.path", `"/my/[^/]+/path" is not a path prefix, so it is matched as a regular expression; whether and how the Gateway supports that is implementation-specific`)),
				}
			}(),
			converted: []string{"hello-world"},
		},
		{name: "compose mysql", files: []string{compose + "examples/12-mysql-database/score.yaml"}, converted: []string{"hello-world"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ws := thirdparty(t, tc.files...)
			out := Convert(ws, testOpts)
			checkInvariants(t, ws, testOpts, out)
			if diff := cmpDiff(tc.problems, out.Problems); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
			var got []string
			for _, w := range out.Workloads {
				got = append(got, w.Name)
			}
			if diff := cmpDiff(tc.converted, got); diff != "" {
				t.Errorf("converted workloads (-want +got):\n%s", diff)
			}
			compareGolden(t, out)
		})
	}
}

// The score-compose examples spell out what they expect at run time; check
// the conversion delivers the same values.
func TestThirdPartyValues(t *testing.T) {
	out := Convert(thirdparty(t,
		"score-spec/score-compose/examples/08-service-port-resource/scoreA.yaml",
		"score-spec/score-compose/examples/08-service-port-resource/scoreB.yaml",
	), testOpts)
	// scoreB reaches workload-a's "web" port: Service port 8080.
	if diff := cmp.Diff("http://workload-a.workload-a.svc:8080", podOf(t, out, "workload-b").Containers[0].Env[0].Value); diff != "" {
		t.Errorf("DEPENDENCY_URL (-want +got):\n%s", diff)
	}

	out = Convert(thirdparty(t, "score-spec/score-compose/examples/09-dns-and-route/score.yaml"), testOpts)
	if got := out.Workloads[0].URL; got != "http://hello-world-dns.apps.example.com/" {
		t.Errorf("URL = %q", got)
	}
}
