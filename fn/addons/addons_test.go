package addons

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/types/known/structpb"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/platformcluster/function-platform-cluster/fn/charts"
	"github.com/platformcluster/function-platform-cluster/fn/gatewayapi"
	"github.com/platformcluster/function-platform-cluster/input/v1beta1"
)

func params(t *testing.T, in v1beta1.Charts) Params {
	t.Helper()
	c, err := charts.Resolve(in)
	if err != nil {
		t.Fatal(err)
	}
	return Params{XRName: "demo-x7k2p", Cluster: "demo", ProviderConfig: "demo-x7k2p", Charts: c}
}

func TestRelease(t *testing.T) {
	p := params(t, v1beta1.Charts{Headlamp: &v1beta1.Chart{Version: "9.9.9", Namespace: "tools"}})
	got := Release(charts.Headlamp, map[string]any{"replicaCount": int64(1)}, p)
	want := map[string]any{
		"apiVersion": "helm.crossplane.io/v1beta1",
		"kind":       "Release",
		"metadata": map[string]any{
			"name":        "demo-x7k2p-headlamp",
			"annotations": map[string]any{"crossplane.io/external-name": "headlamp"},
			"labels":      map[string]any{"platform.fpc.dev/cluster": "demo", "platform.fpc.dev/component": "headlamp"},
		},
		"spec": map[string]any{
			"forProvider": map[string]any{
				"chart": map[string]any{
					"repository": "https://kubernetes-sigs.github.io/headlamp/",
					"name":       "headlamp",
					"version":    "9.9.9",
				},
				"namespace":   "tools",
				"wait":        true,
				"waitTimeout": "10m",
				"values":      map[string]any{"replicaCount": int64(1)},
			},
			"providerConfigRef": map[string]any{"name": "demo-x7k2p"},
			"rollbackLimit":     int64(3),
		},
	}
	if got.Key != "release-headlamp" {
		t.Errorf("Key: want release-headlamp, got %s", got.Key)
	}
	if diff := cmp.Diff(want, got.Object); diff != "" {
		t.Errorf("Release(...): -want, +got:\n%s", diff)
	}
}

func TestInputValuesOverrideFunctionValues(t *testing.T) {
	in := v1beta1.Charts{Loki: &v1beta1.Chart{}}
	in.Loki.Values = rawJSON(t, `{"singleBinary": {"persistence": {"size": "50Gi"}}, "extra": true}`)
	p := params(t, in)
	got := Release(charts.Loki, lokiValues(), p).Object["spec"].(map[string]any)["forProvider"].(map[string]any)["values"].(map[string]any)
	sb := got["singleBinary"].(map[string]any)
	if diff := cmp.Diff(map[string]any{"enabled": true, "size": "50Gi"}, sb["persistence"]); diff != "" {
		t.Errorf("persistence: the override must win and sibling keys survive: -want, +got:\n%s", diff)
	}
	if sb["replicas"] != int64(1) || got["extra"] != true {
		t.Errorf("merge lost keys: %v", got)
	}
}

func TestGrafanaDatasourcesAndAdminSecret(t *testing.T) {
	p := params(t, v1beta1.Charts{})
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
			v := grafanaValues(tc.o, p)
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
	p := params(t, v1beta1.Charts{})
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
			a := alloyValues(tc.o, p)["alloy"].(map[string]any)
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

func TestPlanGatewayOrdering(t *testing.T) {
	p := params(t, v1beta1.Charts{})
	items := Plan(Selection{Gateway: true}, Gateway{Name: "gw", Namespace: "nginx-gateway", ClassName: "nginx"}, p)
	type order struct{ After, Uses []string }
	got := map[string]order{}
	byKey := map[string]Item{}
	for _, i := range items {
		got[i.Key] = order{i.After, i.Uses}
		byKey[i.Key] = i
	}
	crds := []string{
		"object-crd-backendtlspolicies", "object-crd-gatewayclasses", "object-crd-gateways",
		"object-crd-grpcroutes", "object-crd-httproutes", "object-crd-referencegrants",
	}
	want := map[string]order{
		"release-nginx-gateway-fabric": {After: crds, Uses: []string{"object-crd-gatewayclasses"}},
		"object-gateway":               {After: []string{"release-nginx-gateway-fabric"}, Uses: []string{"object-crd-gateways"}},
	}
	for _, c := range crds {
		want[c] = order{}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Plan(...) ordering: -want, +got:\n%s", diff)
	}
	gw := byKey["object-gateway"].Object["spec"].(map[string]any)["forProvider"].(map[string]any)["manifest"].(map[string]any)
	if gw["kind"] != "Gateway" || gw["spec"].(map[string]any)["gatewayClassName"] != "nginx" {
		t.Errorf("object-gateway does not wrap the default Gateway: %v", gw)
	}
	crd := byKey["object-crd-httproutes"].Object["spec"].(map[string]any)
	m := crd["forProvider"].(map[string]any)["manifest"].(map[string]any)
	if m["kind"] != "CustomResourceDefinition" || m["metadata"].(map[string]any)["name"] != "httproutes.gateway.networking.k8s.io" {
		t.Errorf("object-crd-httproutes does not wrap the HTTPRoute CRD: %v", m["metadata"])
	}
	if q := crd["readiness"].(map[string]any)["celQuery"]; !strings.Contains(q.(string), "'Established'") {
		t.Errorf("a CRD's Object must be ready once the CRD is Established, got %v", q)
	}
}

func rawJSON(t *testing.T, s string) *runtime.RawExtension {
	t.Helper()
	return &runtime.RawExtension{Raw: []byte(s)}
}

func TestHarborAdminPasswordComesFromASecret(t *testing.T) {
	if v := harborValues("", "http://harbor"); v["existingSecretAdminPassword"] != nil {
		t.Errorf("no Secret named: want the chart's default, got %v", v)
	}
	v := harborValues("harbor-admin", "http://harbor")
	if v["existingSecretAdminPassword"] != "harbor-admin" || v["existingSecretAdminPasswordKey"] != "HARBOR_ADMIN_PASSWORD" {
		t.Errorf("want the named Secret wired, got %v", v)
	}
	if _, ok := v["harborAdminPassword"]; ok {
		t.Error("the admin password must never be a value")
	}
}

func TestHarborExternalURL(t *testing.T) {
	p := params(t, v1beta1.Charts{Harbor: &v1beta1.Chart{Namespace: "registry"}})
	cases := map[string]struct{ domain, want string }{
		"WorkloadsDomain": {domain: "apps.example.com", want: "https://harbor.apps.example.com"},
		"NoDomain":        {want: "http://harbor.registry.svc.cluster.local"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			items := Plan(Selection{Harbor: true, Domain: tc.domain}, Gateway{}, p)
			v := items[0].Object["spec"].(map[string]any)["forProvider"].(map[string]any)["values"].(map[string]any)
			if v["externalURL"] != tc.want {
				t.Errorf("externalURL: want %s, got %v", tc.want, v["externalURL"])
			}
		})
	}
}

func TestFillCRDManifests(t *testing.T) {
	p := params(t, v1beta1.Charts{})
	desired := map[string]*fnv1.Resource{}
	for _, it := range crdItems(p) {
		s, err := structpb.NewStruct(it.Object)
		if err != nil {
			t.Fatal(err)
		}
		desired[it.Key] = &fnv1.Resource{Resource: s}
	}
	desired["release-loki"] = &fnv1.Resource{Resource: &structpb.Struct{}}
	FillCRDManifests(desired)
	crds := gatewayapi.CRDs()
	if len(desired) != len(crds)+1 {
		t.Fatalf("want %d resources, got %d", len(crds)+1, len(desired))
	}
	for _, c := range crds {
		got := desired[CRDKey(c.Plural)].GetResource().AsMap()["spec"].(map[string]any)["forProvider"].(map[string]any)["manifest"]
		want, _ := structpb.NewValue(c.Manifest)
		if diff := cmp.Diff(want.AsInterface(), got); diff != "" {
			t.Errorf("%s: manifest is not the whole CRD: -want, +got:\n%s", c.Plural, diff)
		}
	}
}
