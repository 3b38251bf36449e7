package charts_test

import (
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/yaml"

	"github.com/platformcluster/function-platform-cluster/fn/addons"
	"github.com/platformcluster/function-platform-cluster/fn/charts"
	"github.com/platformcluster/function-platform-cluster/fn/compose"
	"github.com/platformcluster/function-platform-cluster/fn/tls"
	"github.com/platformcluster/function-platform-cluster/input/v1beta1"
)

// testdata/<add-on>/<pinned version>/ holds what these tests need from each
// pinned chart's own repository at that version (README.md there says
// where from): values.yaml, the chart's values.yaml cut down to the keys
// the function sets, with the chart's defaults; and services.yaml, the
// Services other components point at, for a release named after the add-on.

func pinned(t *testing.T) map[string]charts.Chart {
	t.Helper()
	c, err := charts.Resolve(v1beta1.Charts{})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func dataDir(addon string, c charts.Chart) string {
	return filepath.Join("testdata", addon, c.Version)
}

func TestPinnedChartsHaveData(t *testing.T) {
	pins := pinned(t)
	for addon, c := range pins {
		dir := dataDir(addon, c)
		readme, err := os.ReadFile(filepath.Join(dir, "README.md"))
		if err != nil {
			t.Errorf("%s is pinned to %s %s but %s records nothing about that version; record its values keys and Services there: %v", addon, c.Name, c.Version, dir, err)
			continue
		}
		for _, s := range []string{c.Repository, c.Name, c.Version} {
			if !strings.Contains(string(readme), s) {
				t.Errorf("%s/README.md does not name %q: it must say where the data comes from", dir, s)
			}
		}
		if _, err := os.Stat(filepath.Join(dir, "values.yaml")); err != nil {
			t.Errorf("%s: %v", dir, err)
		}
	}
	// Data for a version that is no longer pinned is data no test needs.
	addonsDirs, _ := os.ReadDir("testdata")
	for _, a := range addonsDirs {
		versions, _ := os.ReadDir(filepath.Join("testdata", a.Name()))
		for _, v := range versions {
			if c, ok := pins[a.Name()]; !ok || c.Version != v.Name() {
				t.Errorf("testdata/%s/%s is not a pinned chart version; remove it", a.Name(), v.Name())
			}
		}
	}
}

// releases returns the values of every Release the function composes, by
// add-on, over selections that between them turn every value on.
func releases(t *testing.T) map[string][]map[string]any {
	t.Helper()
	owner, cs := compose.Owner{XR: "x", Cluster: "c"}, pinned(t)
	all := addons.Observability{Loki: true, Tempo: true, Grafana: true, Alloy: true}
	withSecret := all
	withSecret.GrafanaAdminSecret = "grafana-admin"
	sels := []addons.Selection{
		{Gateway: true, Observability: withSecret, Headlamp: true, Harbor: true, HarborAdminSecret: "harbor-admin", Domain: "apps.example.com"},
		{
			Gateway: true, Observability: all, Headlamp: true, Harbor: true,
			URLs:   map[string]string{charts.Grafana: "https://grafana.example.org", charts.Harbor: "https://harbor.example.org"},
			Issuer: &tls.Issuer{Name: "letsencrypt-staging", Server: "https://acme.example.org/directory", Email: "ops@example.org"},
		},
		{Observability: all, Harbor: true},
		{Observability: addons.Observability{Tempo: true, Grafana: true, Alloy: true}},
	}
	out := map[string][]map[string]any{}
	for _, s := range sels {
		for _, it := range addons.Plan(owner, s, addons.Gateway{Name: "gw", Namespace: "nginx-gateway", ClassName: "nginx"}, cs) {
			if it.Object["kind"] != "Release" {
				continue
			}
			addon := it.Object["metadata"].(map[string]any)["annotations"].(map[string]any)["crossplane.io/external-name"].(string)
			v, _ := it.Object["spec"].(map[string]any)["forProvider"].(map[string]any)["values"].(map[string]any)
			out[addon] = append(out[addon], v)
		}
	}
	return out
}

func chartValues(t *testing.T, addon string, c charts.Chart) map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dataDir(addon, c), "values.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	v := map[string]any{}
	if err := yaml.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// leaves calls f for every value that is not a non-empty map, with its path.
func leaves(v any, path []string, f func(path []string, v any)) {
	m, ok := v.(map[string]any)
	if !ok || len(m) == 0 {
		f(path, v)
		return
	}
	for k, sub := range m {
		leaves(sub, append(append([]string(nil), path...), k), f)
	}
}

func kind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "bool"
	case int, int64, float64:
		return "number"
	case string:
		return "string"
	case []any:
		return "list"
	case map[string]any:
		return "map"
	}
	return fmt.Sprintf("%T", v)
}

// TestFunctionValuesExistInPinnedCharts fails when the function sets a
// values key the pinned chart does not have (a key a chart renamed is
// silently ignored by Helm), or one of another type than the chart's
// default; and when the data records a key the function no longer sets.
// Below a key whose chart default is an empty map (datasources,
// loki.schemaConfig) the content is the function's own.
func TestFunctionValuesExistInPinnedCharts(t *testing.T) {
	pins := pinned(t)
	rel := releases(t)
	for addon, c := range pins {
		if _, ok := rel[addon]; !ok {
			t.Errorf("no selection composes %s; extend releases()", addon)
			continue
		}
		chart := chartValues(t, addon, c)
		used := map[string]bool{}
		for _, vals := range rel[addon] {
			leaves(vals, nil, func(path []string, v any) {
				if len(path) == 0 {
					return // no values
				}
				var node any = chart
				for i, k := range path {
					m, ok := node.(map[string]any)
					if !ok {
						t.Errorf("%s %s: values key %s: the chart's %s is a %s, not a map", c.Name, c.Version, strings.Join(path, "."), strings.Join(path[:i], "."), kind(node))
						return
					}
					if len(m) == 0 && i > 0 {
						used[strings.Join(path[:i], ".")] = true // free-form below
						return
					}
					sub, ok := m[k]
					if !ok {
						t.Errorf("%s %s has no values key %s (testdata/%s/%s/values.yaml); the function's value would be ignored", c.Name, c.Version, strings.Join(path[:i+1], "."), addon, c.Version)
						return
					}
					node = sub
				}
				used[strings.Join(path, ".")] = true
				if kind(node) != "null" && kind(node) != kind(v) {
					t.Errorf("%s %s: %s is a %s in the chart, the function sets a %s", c.Name, c.Version, strings.Join(path, "."), kind(node), kind(v))
				}
			})
		}
		leaves(chart, nil, func(path []string, _ any) {
			if len(path) > 0 && !used[strings.Join(path, ".")] {
				t.Errorf("testdata/%s/%s/values.yaml records %s, which the function does not set; remove it", addon, c.Version, strings.Join(path, "."))
			}
		})
	}
}

type service struct {
	Name  string `json:"name"`
	Ports []struct {
		Name string `json:"name"`
		Port int    `json:"port"`
	} `json:"ports"`
}

// TestCrossComponentURLs fails when a URL one component is given for
// another (Grafana's datasources, Alloy's Loki and Tempo endpoints,
// Harbor's in-cluster URL) names a Service or port the target's pinned
// chart does not create.
func TestCrossComponentURLs(t *testing.T) {
	pins := pinned(t)
	byNamespace := map[string]map[string]service{} // namespace -> Service name -> Service
	for addon, c := range pins {
		b, err := os.ReadFile(filepath.Join(dataDir(addon, c), "services.yaml"))
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		var ss []service
		if err := yaml.UnmarshalStrict(b, &ss); err != nil {
			t.Fatalf("%s: %v", addon, err)
		}
		if byNamespace[c.Namespace] == nil {
			byNamespace[c.Namespace] = map[string]service{}
		}
		for _, s := range ss {
			byNamespace[c.Namespace][s.Name] = s
		}
	}

	var urls []string
	endpoint := regexp.MustCompile(`(?:url|endpoint)\s*=\s*"([^"]+)"`)
	for addon, vals := range releases(t) {
		for _, v := range vals {
			switch addon {
			case charts.Grafana:
				ds, _ := v["datasources"].(map[string]any)["datasources.yaml"].(map[string]any)["datasources"].([]any)
				for _, d := range ds {
					urls = append(urls, d.(map[string]any)["url"].(string))
				}
			case charts.Alloy:
				content := v["alloy"].(map[string]any)["configMap"].(map[string]any)["content"].(string)
				for _, m := range endpoint.FindAllStringSubmatch(content, -1) {
					if !strings.HasPrefix(m[1], "0.0.0.0:") { // Alloy's own receivers
						urls = append(urls, m[1])
					}
				}
			case charts.Harbor:
				if u := v["externalURL"].(string); strings.Contains(u, ".svc.cluster.local") {
					urls = append(urls, u)
				}
			}
		}
	}

	// Each UI's HTTPRoute backend.
	for _, ui := range addons.UIs(addons.Selection{Observability: addons.Observability{Grafana: true}, Headlamp: true, Harbor: true}, pins) {
		urls = append(urls, fmt.Sprintf("http://%s.%s.svc.cluster.local:%d", ui.Service, ui.Namespace, ui.Port))
	}

	reached := map[string]bool{}
	for _, raw := range urls {
		if !strings.Contains(raw, "://") {
			raw = "grpc://" + raw
		}
		u, err := url.Parse(raw)
		if err != nil {
			t.Errorf("%s: %v", raw, err)
			continue
		}
		host, portStr, err := net.SplitHostPort(u.Host)
		if err != nil {
			host, portStr = u.Host, "80"
		}
		port, _ := strconv.Atoi(portStr)
		parts := strings.SplitN(host, ".", 3)
		if len(parts) != 3 || parts[2] != "svc.cluster.local" {
			t.Errorf("%s is not an in-cluster Service URL", raw)
			continue
		}
		svc, ok := byNamespace[parts[1]][parts[0]]
		if !ok {
			t.Errorf("%s: no pinned chart installed in %s creates a Service %s (services.yaml)", raw, parts[1], parts[0])
			continue
		}
		found := false
		for _, p := range svc.Ports {
			found = found || p.Port == port
		}
		if !found {
			t.Errorf("%s: Service %s/%s has no port %d in its pinned chart", raw, parts[1], parts[0], port)
		}
		reached[fmt.Sprintf("%s:%d", parts[0], port)] = true
	}
	var got []string
	for r := range reached {
		got = append(got, r)
	}
	sort.Strings(got)
	// Every endpoint the function wires, so that a URL the extraction above
	// misses cannot go unchecked.
	want := []string{"grafana:80", "harbor:80", "headlamp:80", "loki:3100", "tempo:3200", "tempo:4317"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Services reached: -want, +got:\n%s", diff)
	}
}

// TestTempoConfigIsTheChartsWithOneReceiver: the function replaces the tempo
// chart's configuration template only to keep one receiver; everything else
// must stay the pinned chart's, or the chart's other values stop applying.
func TestTempoConfigIsTheChartsWithOneReceiver(t *testing.T) {
	c := pinned(t)[charts.Tempo]
	chartConfig, _ := chartValues(t, charts.Tempo, c)["config"].(string)
	ours, _ := releases(t)[charts.Tempo][0]["config"].(string)
	start := strings.Index(ours, "\n  receivers:\n")
	end := strings.Index(ours, "\ningester:")
	if start < 0 || end < start {
		t.Fatalf("the function's Tempo config has no distributor receivers:\n%s", ours)
	}
	receivers := ours[start+len("\n  receivers:\n") : end]
	if strings.Contains(receivers, "jaeger") || !strings.Contains(receivers, "otlp:") || strings.Contains(receivers, "http:") {
		t.Errorf("Tempo must receive OTLP over gRPC only, from Alloy; receivers:\n%s", receivers)
	}
	restored := ours[:start] + "\n  receivers:\n    {{- toYaml .Values.tempo.receivers | nindent 8 }}" + ours[end:]
	if diff := cmp.Diff(chartConfig, restored); diff != "" {
		t.Errorf("the function's Tempo config differs from tempo %s's beyond the receivers: -chart, +function:\n%s", c.Version, diff)
	}
}
