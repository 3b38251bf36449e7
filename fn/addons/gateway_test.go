package addons

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/types/known/structpb"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/platformcluster/function-platform-cluster/fn/gatewayapi"
	"github.com/platformcluster/function-platform-cluster/input/v1beta1"
)

func TestPlanGatewayOrdering(t *testing.T) {
	items := Plan(owner, Selection{Gateway: true}, Gateway{Name: "gw", Namespace: "nginx-gateway", ClassName: "nginx"}, resolve(t, v1beta1.Charts{}))
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
		"object-gateway":               {After: []string{"release-nginx-gateway-fabric"}, Uses: []string{"object-crd-gateways", "release-nginx-gateway-fabric"}},
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
	for _, c := range crds {
		if p := byKey[c].Object["spec"].(map[string]any)["deletionPolicy"]; p != "Orphan" {
			t.Errorf("%s: deletionPolicy %v, want Orphan: deleting a CRD strands every Object still deleting a resource of its kind", c, p)
		}
	}
	if p := byKey["object-gateway"].Object["spec"].(map[string]any)["deletionPolicy"]; p != nil {
		t.Errorf("object-gateway: deletionPolicy %v, want the default (Delete)", p)
	}
}

func TestFillCRDManifests(t *testing.T) {
	desired := map[string]*fnv1.Resource{}
	for _, it := range crdItems(owner) {
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
