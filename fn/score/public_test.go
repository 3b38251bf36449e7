package score

import (
	"testing"
)

// TestConvertPublicScoreFiles: Score files as projects beyond score-spec's
// three demo apps publish them (testdata/thirdparty/README.md has their
// origin) convert unchanged once the claim gives what they leave to deploy
// time: the image of "." containers and the values of environment
// resources. No file here is edited; names only tell apart files that all
// call their workload "hello-world" or "my-workload", as a claim does.
func TestConvertPublicScoreFiles(t *testing.T) {
	const (
		community = "score-spec/community-provisioners/"
		compose   = "score-spec/score-compose/examples/"
	)
	type file struct {
		path, name string
		deploy     Deploy
	}
	opts := testOpts
	opts.EnvironmentField = "the function Input's workloads.environment"
	opts.Environment = map[string]EnvValue{"TEST": {Value: strp("hello")}, "NAME": {Value: strp("world")}}
	files := []file{
		{path: community + "dns/score.yaml", name: "podinfo"},
		{path: community + "environment/score.yaml", name: "env-demo"},
		{path: community + "endpoint/score.yaml", name: "frontend"},
		{path: community + "horizontal-pod-autoscaler/score.yaml", name: "hpa-demo"},
		{path: community + "redis/score.yaml", name: "redis-demo"},
		{path: compose + "01-hello/score.yaml", name: "hello"},
		{path: compose + "02-environment/score.yaml", name: "greeter",
			deploy: Deploy{Field: "spec.workloads[6]", Environment: map[string]EnvValue{"NAME": {Value: strp("Score")}}}},
		{path: compose + "10-amqp-rabbitmq/score.yaml", name: "amqp-demo"},
		{path: compose + "11-mongodb-document-database/score.yaml", name: "mongo-demo"},
		{path: compose + "13-kafka-topic/score.yaml", name: "kafka-console"},
		{path: compose + "14-elasticsearch/score.yaml", name: "search"},
		{path: compose + "15-mssql-database/score.yaml", name: "mssql-demo"},
		{path: "astromechza/demo-app/score.yaml", name: "demo-app",
			deploy: Deploy{Field: "spec.workloads[12]", Image: "ghcr.io/astromechza/demo-app:latest"}},
		// The endpoint example's backend, which it reaches as the community
		// provisioner does when the workload exists.
		{path: "ShantKhatri/score-php-legacy-onboarding-demo/score.yaml", name: "backend",
			deploy: Deploy{Field: "spec.workloads[13]", Containers: map[string]string{"app": "ghcr.io/acme/legacy-guestbook:1.0.0"}}},
	}
	var ws []Workload
	for _, f := range files {
		w := thirdparty(t, f.path)[0]
		w.Name, w.Deploy = f.name, f.deploy
		ws = append(ws, w)
	}
	out := Convert(ws, opts)
	checkInvariants(t, ws, opts, out)
	for _, p := range out.Problems {
		if p.Severity == SeverityFatal {
			t.Errorf("fatal: %s", p.Error())
		}
	}
	if len(out.Workloads) != len(files) {
		t.Errorf("%d of %d workloads converted", len(out.Workloads), len(files))
	}
	want := []Problem{
		from(community+"environment/score.yaml", warning("env-demo", "containers.my-container.files", "deprecated form, migrated to object automatically; update the Score file")),
		from(community+"endpoint/score.yaml", warning("frontend", "resources.backend.params.port", `workload "backend" has no service port "8181"; its only one, http (8080), is used`)),
		from(community+"horizontal-pod-autoscaler/score.yaml", warning("hpa-demo", "resources.hpa", "no container requests cpu (containers.<name>.resources.requests.cpu), so the autoscaler cannot compute utilisation and will not scale")),
	}
	if diff := cmpDiff(want, out.Problems); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	compareGolden(t, out)
}

// TestPublicScoreFilesNeedTheirImage: without the claim's image, the Score
// file that leaves it to deploy time fails alone, naming the field to set.
func TestPublicScoreFilesNeedTheirImage(t *testing.T) {
	ws := thirdparty(t, "astromechza/demo-app/score.yaml", "score-spec/score-compose/examples/01-hello/score.yaml")
	ws[0].Deploy = Deploy{Field: "spec.workloads[0]"}
	out := Convert(ws, testOpts)
	want := []Problem{from("astromechza/demo-app/score.yaml", fatal("demo-app", "containers.main.image",
		`"." leaves the image to deploy time; set spec.workloads[0].image (the image of every "." container) or spec.workloads[0].containers.main.image`))}
	if diff := cmpDiff(want, out.Problems); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	if len(out.Workloads) != 1 || out.Workloads[0].Name != "hello-world" {
		t.Errorf("want hello-world converted alone, got %d workloads", len(out.Workloads))
	}
}
