package score

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/score-spec/score-go/framework"
	corev1 "k8s.io/api/core/v1"

	"github.com/platformcluster/function-platform-cluster/fn/score/manifest"
)

// The output names of score-k8s' default provisioners (its expected_outputs),
// so specs written for score-k8s resolve unchanged.
var scoreK8sOutputs = map[string][]string{
	"amqp":              {"host", "password", "port", "username", "vhost"},
	"kafka-topic":       {"host", "name", "num_partitions", "port"},
	"mongodb":           {"connection", "host", "password", "port", "username"},
	"mssql":             {"connection", "database", "password", "port", "server", "username"},
	"mysql":             {"database", "host", "name", "password", "port", "username"},
	"postgres":          {"database", "host", "name", "password", "port", "username"},
	"postgres-instance": {"host", "password", "port", "username"},
	"redis":             {"host", "password", "port", "username"},
	"s3":                {"access_key_id", "aws_access_key_id", "aws_secret_key", "bucket", "endpoint", "region", "secret_key"},
}

func TestScoreK8sOutputNames(t *testing.T) {
	for typ, want := range scoreK8sOutputs {
		t.Run(typ, func(t *testing.T) {
			var vars strings.Builder
			for _, o := range want {
				vars.WriteString("      " + strings.ToUpper(o) + ": ${resources.res." + o + "}\n")
			}
			doc := "apiVersion: score.dev/v1b1\nmetadata: {name: app}\ncontainers:\n  main:\n    image: busybox\n    variables:\n" +
				vars.String() + "resources:\n  res: {type: " + typ + "}\n"
			ws := []Workload{workload(t, doc)}
			out := Convert(ws, testOpts)
			checkInvariants(t, ws, testOpts, out)
			if len(out.Problems) > 0 {
				t.Fatalf("problems: %v", out.Problems)
			}
			w := newTestCtx(t, ws)
			p, err := w.resource("res")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, sortedKeys(p.Outputs)); diff != "" {
				t.Errorf("outputs (-want +got):\n%s", diff)
			}
		})
	}
}

// newTestCtx sets up the context of the first workload for looking at its
// provisioned resources.
func newTestCtx(t *testing.T, ws []Workload) *workloadCtx {
	t.Helper()
	c := &converter{opts: testOpts, reg: newRegistry(nil), ctxs: map[string]*workloadCtx{}, shared: map[framework.ResourceUid]*sharedResource{}}
	c.setDomain()
	c.parseAll(ws)
	c.registerShared()
	for _, name := range sortedKeys(c.ctxs) {
		return c.ctxs[name]
	}
	t.Fatal("no workload parsed")
	return nil
}

func TestConvertScoreK8sTypes(t *testing.T) {
	runCases(t, []convertCase{
		{
			name: "connection strings carry the password by reference",
			workloads: []string{`
apiVersion: score.dev/v1b1
metadata: {name: app}
containers:
  main:
    image: busybox
    variables:
      MONGO: ${resources.mongo.connection}
      MSSQL: ${resources.sql.connection}
      RABBIT: amqp://${resources.queue.username}:${resources.queue.password}@${resources.queue.host}:${resources.queue.port}/${resources.queue.vhost}
resources:
  mongo: {type: mongodb}
  sql: {type: mssql}
  queue: {type: amqp}
`},
			check: func(t *testing.T, out Output) {
				env := map[string]corev1.EnvVar{}
				for _, e := range podOf(t, out, "app").Containers[0].Env {
					env[e.Name] = e
				}
				for name, want := range map[string]string{
					"MONGO":  "mongodb://mongo:$(__ref_",
					"MSSQL":  "Server=tcp:app-sql.app.svc,1433;Initial Catalog=master;User ID=sa;Password=$(__ref_",
					"RABBIT": "amqp://queue:$(__ref_",
				} {
					if !strings.HasPrefix(env[name].Value, want) {
						t.Errorf("%s = %q, want it to start with %q", name, env[name].Value, want)
					}
				}
			},
		},
		{
			name: "two kafka topics share one broker, s3 gets a bucket",
			workloads: []string{`
apiVersion: score.dev/v1b1
metadata: {name: app}
containers:
  main:
    image: busybox
    variables:
      BROKER: ${resources.orders.host}:${resources.orders.port}
      TOPICS: ${resources.orders.name},${resources.payments.name}
      S3: ${resources.files.endpoint}/${resources.files.bucket}
      AWS_SECRET_ACCESS_KEY: ${resources.files.aws_secret_key}
resources:
  orders: {type: kafka-topic}
  payments: {type: kafka-topic}
  files: {type: s3}
  pg: {type: postgres-instance}
`},
			check: func(t *testing.T, out Output) {
				var brokers, jobs []string
				bucket := false
				for _, m := range out.Workloads[0].Manifests {
					kind, _, name := manifest.Key(m)
					if kind == "StatefulSet" && name == "score-kafka" {
						brokers = append(brokers, name)
					}
					if kind == "StatefulSet" && name == "app-files" {
						// The S3 store makes the bucket when it starts.
						bucket = strings.Contains(jsonText(m), `"-bucket=app-files"`)
					}
					if kind == "Job" {
						jobs = append(jobs, name)
					}
				}
				if !bucket {
					t.Error("the S3 store app-files is not told to make bucket app-files")
				}
				if len(brokers) != 1 {
					t.Errorf("brokers: %v, want one", brokers)
				}
				slices.Sort(jobs)
				if diff := cmp.Diff([]string{"score-kafka-k41-topic-app-orders", "score-kafka-k41-topic-app-payments"}, jobs); diff != "" {
					t.Errorf("jobs (-want +got):\n%s", diff)
				}
			},
		},
	})
}
