package addons

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/platformcluster/function-platform-cluster/input/v1beta1"
)

func TestGrafanaDatasourcesAndAdminSecret(t *testing.T) {
	cs := resolve(t, v1beta1.Charts{})
	cases := map[string]struct {
		o       Observability
		wantDS  []string
		wantAdm any
	}{
		"LokiAndTempoGeneratedPassword": {o: Observability{Loki: true, Tempo: true}, wantDS: []string{"Loki", "Tempo"}},
		"TempoOnlyExistingSecret": {
			o:       Observability{Tempo: true, GrafanaAdminSecret: "grafana-admin"},
			wantDS:  []string{"Tempo"},
			wantAdm: map[string]any{"existingSecret": "grafana-admin", "userKey": "admin-user", "passwordKey": "admin-password"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			v := grafanaValues(tc.o, "", cs)
			ds := v["datasources"].(map[string]any)["datasources.yaml"].(map[string]any)["datasources"].([]any)
			var names []string
			defaults := 0
			for _, d := range ds {
				m := d.(map[string]any)
				names = append(names, m["name"].(string))
				if m["isDefault"] == true {
					defaults++
				}
			}
			if diff := cmp.Diff(tc.wantDS, names); diff != "" {
				t.Errorf("datasources: -want, +got:\n%s", diff)
			}
			if defaults != 1 {
				t.Errorf("want exactly one default datasource, got %d", defaults)
			}
			if diff := cmp.Diff(tc.wantAdm, v["admin"]); diff != "" {
				t.Errorf("admin: -want, +got:\n%s", diff)
			}
			for k := range v {
				if strings.Contains(strings.ToLower(k), "password") {
					t.Errorf("a password must never be a chart value, found %q", k)
				}
			}
		})
	}
}

func TestAlloyShipsToEnabledBackends(t *testing.T) {
	cs := resolve(t, v1beta1.Charts{})
	cases := map[string]struct {
		o         Observability
		want, not []string
		wantPorts bool
	}{
		"Both": {
			o:         Observability{Loki: true, Tempo: true},
			want:      []string{`url = "http://loki.observability.svc.cluster.local:3100/loki/api/v1/push"`, `endpoint = "tempo.observability.svc.cluster.local:4317"`, "clustering {\n    enabled = true\n  }"},
			wantPorts: true,
		},
		"LogsOnly": {
			o:    Observability{Loki: true},
			want: []string{"loki.source.kubernetes"},
			not:  []string{"otelcol"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			a := alloyValues(tc.o, cs)["alloy"].(map[string]any)
			if diff := cmp.Diff(map[string]any{"enabled": true}, a["clustering"]); diff != "" {
				t.Errorf("Alloy runs on every node and must share the pods out: clustering -want, +got:\n%s", diff)
			}
			content := a["configMap"].(map[string]any)["content"].(string)
			for _, w := range tc.want {
				if !strings.Contains(content, w) {
					t.Errorf("config lacks %q:\n%s", w, content)
				}
			}
			for _, n := range tc.not {
				if strings.Contains(content, n) {
					t.Errorf("config must not contain %q:\n%s", n, content)
				}
			}
			if _, ok := a["extraPorts"]; ok != tc.wantPorts {
				t.Errorf("extraPorts present: want %v, got %v", tc.wantPorts, ok)
			}
		})
	}
}
