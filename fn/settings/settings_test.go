package settings

import (
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/runtime"

	"github.com/platformcluster/function-platform-cluster/input/v1beta1"
)

func TestResolve(t *testing.T) {
	n := int64(5)
	s, err := Resolve(&v1beta1.Input{
		Defaults: v1beta1.Defaults{Region: "de-fra-2", NodeCount: &n, Regions: []string{"de-fra-2"}},
		Charts:   v1beta1.Charts{Loki: &v1beta1.Chart{Repository: "oci://mirror.example.com/charts", Version: "18.11.0"}},
		Linode:   v1beta1.Linode{CreateProviderConfig: true},
	})
	if err != nil {
		t.Fatal(err)
	}
	if s.Defaults.NodeType != DefaultNodeType || s.Defaults.NodeCount != 5 {
		t.Errorf("defaults: %+v", s.Defaults)
	}
	if len(s.Warnings) != 1 || !strings.Contains(s.Warnings[0], "defaults.region and defaults.kubernetesVersion are ignored") {
		t.Errorf("an Input default region must be reported as ignored: %q", s.Warnings)
	}
	if len(s.Regions) != 1 {
		t.Errorf("Input regions must replace the built-in list: %v", s.Regions)
	}
	if s.Charts["loki"].Repository != "oci://mirror.example.com/charts" || s.Charts["loki"].Version != "18.11.0" || s.Charts["loki"].Name != "loki" {
		t.Errorf("chart override must keep unset fields: %+v", s.Charts["loki"])
	}
	if s.LinodeProviderConfig != "default" || s.LinodeCredentials.Name != "linode-credentials" || s.SecretNamespace != "crossplane-system" {
		t.Errorf("built-in defaults missing: %+v", s)
	}
	if s.Gateway.Name != "platform-gateway" || s.ScoreKey != "score.yaml" || s.SecretGeneratorImage != DefaultSecretGeneratorImage {
		t.Errorf("built-in defaults missing: %+v", s)
	}
}

func TestResolveRejectsNonObjectValues(t *testing.T) {
	_, err := Resolve(&v1beta1.Input{Charts: v1beta1.Charts{Grafana: &v1beta1.Chart{Values: &runtime.RawExtension{Raw: []byte(`[1,2]`)}}}})
	if err == nil || err.Error() == "" {
		t.Fatal("want an error naming charts.grafana.values")
	}
	if want := "input charts.grafana.values must be an object"; len(err.Error()) < len(want) || err.Error()[:len(want)] != want {
		t.Errorf("error: want prefix %q, got %q", want, err)
	}
}

func TestResolveWarnsAboutTheGatewayAPICRDsChart(t *testing.T) {
	s, err := Resolve(&v1beta1.Input{})
	if err != nil || len(s.Warnings) != 0 {
		t.Fatalf("no override: want no warning, got %v, %v", s.Warnings, err)
	}
	s, err = Resolve(&v1beta1.Input{Charts: v1beta1.Charts{GatewayAPICRDs: &v1beta1.Chart{Version: "v1.6.0"}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Warnings) != 1 || !strings.Contains(s.Warnings[0], "charts.gatewayAPICRDs is ignored") {
		t.Errorf("want a warning naming charts.gatewayAPICRDs, got %v", s.Warnings)
	}
	if _, ok := s.Charts["gateway-api-crds"]; ok {
		t.Error("the Gateway API CRDs must not be a chart any more")
	}
}

func TestResolveCRDsManifest(t *testing.T) {
	for in, ok := range map[string]bool{
		"": true, "https://mirror.example/gateway-api/v1.5.1/standard-install.yaml": true, "http://10.0.0.5/standard-install.yaml": true,
		"/manifests/standard-install.yaml": true, "manifests/standard-install.yaml": false, "/manifests/../etc": false,
		"oci://mirror.example/gateway-api": false, "https://": false, "file:///x.yaml": false,
	} {
		s, err := Resolve(&v1beta1.Input{Gateway: v1beta1.Gateway{CRDsManifest: in}})
		switch {
		case ok && (err != nil || s.Gateway.CRDsManifest != in):
			t.Errorf("%q: want it kept, got %q, %v", in, s.Gateway.CRDsManifest, err)
		case !ok && (err == nil || !strings.Contains(err.Error(), "input gateway.crdsManifest")):
			t.Errorf("%q: want an error naming gateway.crdsManifest, got %v", in, err)
		}
	}
}

func TestResolveScoreProvisioners(t *testing.T) {
	class := "large"
	s, err := Resolve(&v1beta1.Input{Workloads: v1beta1.Workloads{Provisioners: []v1beta1.ScoreProvisioner{
		{URI: "template://a", Type: "postgres", Class: &class, Outputs: "host: a"},
		{URI: "template://b", Type: "dns", SupportedParams: []string{"zone"}},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.ScoreProvisioners) != 2 {
		t.Fatalf("provisioners: %+v", s.ScoreProvisioners)
	}
	a, b := s.ScoreProvisioners[0], s.ScoreProvisioners[1]
	if a.URI != "template://a" || *a.Class != "large" || a.Outputs != "host: a" || a.Field != "workloads.provisioners[0]" {
		t.Errorf("first provisioner: %+v", a)
	}
	if b.Type != "dns" || len(b.SupportedParams) != 1 || b.Field != "workloads.provisioners[1]" {
		t.Errorf("second provisioner: %+v", b)
	}
}
