package live

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/platformcluster/function-platform-cluster/fn/charts"
	"github.com/platformcluster/function-platform-cluster/input/v1beta1"
	"github.com/platformcluster/function-platform-cluster/test/live/plane"
	"github.com/platformcluster/function-platform-cluster/test/live/standin"
)

// inputCharts are the Input's charts fields, by add-on.
var inputCharts = map[string]string{
	charts.Loki: "loki", charts.Tempo: "tempo", charts.Grafana: "grafana", charts.Alloy: "alloy",
	charts.GatewayFabric: "gatewayFabric", charts.Headlamp: "headlamp", charts.Harbor: "harbor",
	charts.CertManager: "certManager",
}

// pinnedArchives finds the archive of every chart the function pins, as
// fn/charts resolves them with no overrides: in the repository's test data
// first (where a moved pin's archive is committed), then in
// ../shared/charts. A pin without its archive is an error: the live suite
// would install something else than what ships.
func pinnedArchives() ([]string, error) {
	pins, err := charts.Resolve(v1beta1.Charts{})
	if err != nil {
		return nil, err
	}
	found := map[string]string{}
	if shared, err := filepath.Glob(filepath.Join(root, "..", "shared", "charts", "*.tgz")); err == nil {
		for _, a := range shared {
			found[filepath.Base(a)] = a
		}
	}
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || (d.IsDir() && (d.Name() == ".git" || d.Name() == "node_modules")) {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(path, ".tgz") && strings.Contains(path, string(os.PathSeparator)+"testdata"+string(os.PathSeparator)) {
			found[filepath.Base(path)] = path
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	var out, missing []string
	for _, c := range pins {
		name := c.Name + "-" + c.Version + ".tgz"
		if a, ok := found[name]; ok {
			out = append(out, a)
		} else {
			missing = append(missing, name)
		}
	}
	sort.Strings(out)
	if len(missing) > 0 {
		sort.Strings(missing)
		return nil, fmt.Errorf("no archive of the pinned charts %v in any testdata folder or ../shared/charts", missing)
	}
	return out, nil
}

// airGapped points every chart of the Composition's function Input at the
// plane's chart repository, as an air-gapped platform team points it at
// theirs. cert-manager's webhook is reached at the stand-in's address
// (standin.CertManagerWebhook), since no pod runs.
func airGapped(objs []*unstructured.Unstructured) {
	for _, o := range objs {
		if o.GetKind() != "Composition" {
			continue
		}
		steps, _, _ := unstructured.NestedSlice(o.Object, "spec", "pipeline")
		for _, s := range steps {
			in, _ := s.(map[string]any)["input"].(map[string]any)
			if in == nil || in["kind"] != "Input" {
				continue
			}
			for _, field := range inputCharts {
				_ = unstructured.SetNestedField(in, plane.ChartRepository, "charts", field, "repository")
			}
			_ = unstructured.SetNestedField(in, standin.CertManagerWebhookHost, "charts", "certManager", "values", "webhook", "url", "host")
		}
		_ = unstructured.SetNestedSlice(o.Object, steps, "spec", "pipeline")
	}
}
