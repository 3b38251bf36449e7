package score

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/yaml"

	"github.com/platformcluster/function-platform-cluster/fn/score/manifest"
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

// sample lists the score.yaml of each named workload of a score-spec/examples
// sample application.
func sample(app string, workloads ...string) []string {
	var out []string
	for _, w := range workloads {
		out = append(out, "score-spec/examples/samples/"+app+"/"+w+"/score.yaml")
	}
	return out
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
		{name: "examples amqp", files: []string{examples + "resources/amqp/score.yaml"}, converted: []string{"my-workload"}},
		{
			name:  "examples files read from disk",
			files: []string{examples + "specification/files/score.yaml"},
			problems: []Problem{from(examples+"specification/files/score.yaml",
				fatal("my-workload", "containers.my-container.files./fileA.txt.source", `"fileA.txt" would be read from disk next to the Score file, which is not available here; inline the file with content, or binaryContent for binary data`))},
		},
		{
			name:  "examples onlineboutique frontend alone depends on workloads outside the claim",
			files: []string{examples + "samples/onlineboutique/frontend/score.yaml"},
			problems: func() []Problem {
				var ps []Problem
				for _, r := range []string{"ad", "cart", "checkout", "currency", "payment", "productcatalog", "recommendation", "shipping"} {
					ps = append(ps, from(examples+"samples/onlineboutique/frontend/score.yaml",
						fatal("frontend", "resources."+r, `depends on workload "`+r+`", which is not part of this claim; add it to the claim or remove the dependency (workloads of other claims are reached with a service-port resource)`)))
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
					ps = append(ps, from(src, fatal("ingress", "resources."+r, `depends on workload "`+r+`", which is not part of this claim; add it to the claim or remove the dependency (workloads of other claims are reached with a service-port resource)`)))
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
					from(src, fatal("example-workload-name123", "resources.resource-one1.type", `unsupported resource type "Resource-One"; supported: amqp, dns, elasticsearch, endpoint, environment, horizontal-pod-autoscaler, kafka-topic, mongodb, mssql, mysql, postgres, postgres-instance, redis, route, s3, service, service-port, volume`)),
					from(src, fatal("example-workload-name123", "resources.resource-three.type", `unsupported resource type "Type-Three"; supported: amqp, dns, elasticsearch, endpoint, environment, horizontal-pod-autoscaler, kafka-topic, mongodb, mssql, mysql, postgres, postgres-instance, redis, route, s3, service, service-port, volume`)),
					from(src, fatal("example-workload-name123", "resources.resource-two2.type", `unsupported resource type "Resource-Two"; supported: amqp, dns, elasticsearch, endpoint, environment, horizontal-pod-autoscaler, kafka-topic, mongodb, mssql, mysql, postgres, postgres-instance, redis, route, s3, service, service-port, volume`)),
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
		{
			name:      "examples onlineboutique, eleven workloads depending on each other",
			files:     sample("onlineboutique", "ad", "cart", "checkout", "currency", "email", "frontend", "loadgenerator", "payment", "productcatalog", "recommendation", "shipping"),
			converted: []string{"ad", "cart", "checkout", "currency", "email", "frontend", "loadgenerator", "payment", "productcatalog", "recommendation", "shipping"},
		},
		{
			name:      "examples aks-store-demo, a shared amqp queue, mongodb and services",
			files:     sample("aks-store-demo", "makeline", "order", "product", "store-admin", "store-front"),
			converted: []string{"makeline-service", "order-service", "product-service", "store-admin", "store-front"},
		},
		{
			name:  "examples traderx without its locally built ingress: endpoints reach the workloads they name",
			files: sample("traderx", "account-service", "database", "people-service", "position-service", "reference-data", "trade-feed", "trade-processor", "trade-service", "web-frontend"),
			problems: func() []Problem {
				var ps []Problem
				for _, rp := range [][2]string{{"account-service", "18088"}, {"people-service", "18089"}, {"reference-data", "18085"}} {
					r, port := rp[0], rp[1]
					ps = append(ps, from(examples+"samples/traderx/trade-service/score.yaml",
						warning("trade-service", "resources."+r+".params.port", `workload "`+r+`" has no service port "8181"; its only one, web (`+port+`), is used`)))
				}
				return ps
			}(),
			converted: []string{"account-service", "database", "people-service", "position-service", "reference-data", "trade-feed", "trade-processor", "trade-service", "web-frontend"},
		},
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

// Service dependencies resolve across namespaces, and a shared queue is one
// instance in SharedNamespace for every workload that declares it.
func TestThirdPartyServiceDependencies(t *testing.T) {
	out := Convert(thirdparty(t, sample("onlineboutique", "ad", "cart", "checkout", "currency", "email", "frontend", "loadgenerator", "payment", "productcatalog", "recommendation", "shipping")...), testOpts)
	env := map[string]string{}
	for _, e := range podOf(t, out, "frontend").Containers[0].Env {
		env[e.Name] = e.Value
	}
	if diff := cmp.Diff("cart.cart.svc:7070", env["CART_SERVICE_ADDR"]); diff != "" {
		t.Errorf("frontend CART_SERVICE_ADDR (-want +got):\n%s", diff)
	}

	out = Convert(thirdparty(t, sample("aks-store-demo", "makeline", "order", "product", "store-admin", "store-front")...), testOpts)
	env = map[string]string{}
	for _, w := range []string{"makeline-service", "order-service"} {
		for _, e := range podOf(t, out, w).Containers[0].Env {
			env[w+" "+e.Name] = e.Value
		}
	}
	for key, want := range map[string]string{
		"makeline-service ORDER_QUEUE_URI":   "amqp://amqp-orders-queue.score-shared.svc:5672",
		"order-service ORDER_QUEUE_HOSTNAME": "amqp-orders-queue.score-shared.svc",
		"order-service ORDER_QUEUE_USERNAME": "orders_queue",
	} {
		if diff := cmp.Diff(want, env[key]); diff != "" {
			t.Errorf("%s (-want +got):\n%s", key, diff)
		}
	}
	var queues int
	for _, m := range out.Shared {
		if kind, _, name := manifest.Key(m); kind == "StatefulSet" && name == "amqp-orders-queue" {
			queues++
		}
	}
	if queues != 1 {
		t.Errorf("the shared queue has %d StatefulSets, want 1", queues)
	}
}
