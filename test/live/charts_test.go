package live

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"

	"github.com/platformcluster/function-platform-cluster/fn/charts"
	"github.com/platformcluster/function-platform-cluster/input/v1beta1"
	"github.com/platformcluster/function-platform-cluster/test/helmcharts"
	"github.com/platformcluster/function-platform-cluster/test/live/plane"
	"github.com/platformcluster/function-platform-cluster/test/live/standin"
)

// inputCharts are the Input's charts fields, by add-on.
var inputCharts = map[string]string{
	charts.Loki: "loki", charts.Tempo: "tempo", charts.Grafana: "grafana", charts.Alloy: "alloy",
	charts.GatewayFabric: "gatewayFabric", charts.Headlamp: "headlamp", charts.Harbor: "harbor",
	charts.CertManager: "certManager",
}

// pinnedArchives are the archives of every chart the function pins, as
// fn/charts resolves them with no overrides, from the repository's own copy
// (test/helmcharts/archives, whose README.md gives their provenance). A pin
// without its archive is an error: the live suite would install something
// else than what ships.
func pinnedArchives() ([]string, error) {
	pins, err := charts.Resolve(v1beta1.Charts{})
	if err != nil {
		return nil, err
	}
	var out, missing []string
	for _, c := range pins {
		a := helmcharts.Archive(c.Name, c.Version)
		if _, err := os.Stat(a); err != nil {
			missing = append(missing, filepath.Base(a))
			continue
		}
		out = append(out, a)
	}
	sort.Strings(out)
	if len(missing) > 0 {
		sort.Strings(missing)
		return nil, fmt.Errorf("no archive of the pinned charts %v in test/helmcharts/archives (go generate ./test/helmcharts)", missing)
	}
	return out, nil
}

// airGapConfiguration points every chart of the PlatformCluster
// Composition's function Input at the plane's chart repository, in a build
// of test/packages, and builds its Configuration package again: what an
// air-gapped platform team does before publishing theirs. cert-manager's
// webhook is reached at the stand-in's address
// (standin.CertManagerWebhook), since no pod runs.
func airGapConfiguration(t *testing.T, built string) {
	t.Helper()
	stage := filepath.Join(built, "configuration")
	file := filepath.Join(stage, "composition.yaml")
	objs := readObjects(t, file)
	var out []byte
	for _, o := range objs {
		if o.GetKind() != "Composition" || !airGapped(o) {
			t.Fatalf("%s: want one Composition with a function Input, got %s %s", file, o.GetKind(), o.GetName())
		}
		b, err := yaml.Marshal(o.Object)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, b...)
	}
	if err := os.WriteFile(file, out, 0o600); err != nil {
		t.Fatal(err)
	}
	if xpkg := buildPackage(t, stage); xpkg != filepath.Join(built, "configuration.xpkg") {
		t.Fatalf("the Configuration package was rebuilt at %s, not where test/packages put it", xpkg)
	}
}

// airGapped sets the chart overrides in a Composition's function Input; it
// reports whether it found one.
func airGapped(o *unstructured.Unstructured) bool {
	found := false
	steps, _, _ := unstructured.NestedSlice(o.Object, "spec", "pipeline")
	for _, s := range steps {
		in, _ := s.(map[string]any)["input"].(map[string]any)
		if in == nil || in["kind"] != "Input" {
			continue
		}
		found = true
		for _, field := range inputCharts {
			_ = unstructured.SetNestedField(in, plane.ChartRepository, "charts", field, "repository")
		}
		_ = unstructured.SetNestedField(in, standin.CertManagerWebhookHost, "charts", "certManager", "values", "webhook", "url", "host")
	}
	_ = unstructured.SetNestedSlice(o.Object, steps, "spec", "pipeline")
	return found
}
