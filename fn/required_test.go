package fn

import (
	"maps"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/resource"

	"github.com/platformcluster/function-platform-cluster/fn/settings"
	"github.com/platformcluster/function-platform-cluster/fn/spec"
	"github.com/platformcluster/function-platform-cluster/fn/workload"
	"github.com/platformcluster/function-platform-cluster/input/v1beta1"
)

func items(objs ...string) *fnv1.Resources {
	rs := &fnv1.Resources{}
	for _, o := range objs {
		rs.Items = append(rs.Items, &fnv1.Resource{Resource: resource.MustStructJSON(o)})
	}
	return rs
}

func TestReadFetched(t *testing.T) {
	s := &spec.Spec{Components: spec.Components{UserApps: &spec.UserApps{Enabled: []string{"found", "absent", "odd", "unasked"}}}}
	secret := func(data string) string { return `{"apiVersion":"v1","kind":"Secret","data":` + data + `}` }
	cm := func(data string) string { return `{"apiVersion":"v1","kind":"ConfigMap","data":` + data + `}` }
	cases := map[string]struct {
		req  *fnv1.RunFunctionRequest
		want fetched
	}{
		"Nothing": {req: &fnv1.RunFunctionRequest{}},
		"RequiredResources": {
			req: &fnv1.RunFunctionRequest{RequiredResources: map[string]*fnv1.Resources{
				// "a2NmZw==" is "kcfg"; the first Secret that decodes wins.
				kubeconfigRequirement:      items(secret(`{"kubeconfig":"%%%"}`), secret(`{"kubeconfig":"a2NmZw=="}`)),
				scoreRequirement("found"):  items(cm(`{"score.yaml":"apiVersion: score.dev/v1b1"}`)),
				scoreRequirement("absent"): {},
				scoreRequirement("odd"):    items(cm(`{"score.yaml":42}`)),
			}},
			want: fetched{
				kubeconfig: []byte("kcfg"),
				scoreConfigMaps: workload.ConfigMaps{
					"found": {"score.yaml": "apiVersion: score.dev/v1b1"},
					// Not a string: read as empty, reported as such later.
					"odd": {"score.yaml": ""},
				},
			},
		},
		"DeprecatedExtraResources": {
			//nolint:staticcheck // Older Crossplane versions fill only the deprecated field.
			req: &fnv1.RunFunctionRequest{ExtraResources: map[string]*fnv1.Resources{
				kubeconfigRequirement:     items(secret(`{"kubeconfig":"a2NmZw=="}`)),
				scoreRequirement("found"): items(cm(`{"score.yaml":"x"}`)),
			}},
			want: fetched{kubeconfig: []byte("kcfg"), scoreConfigMaps: workload.ConfigMaps{"found": {"score.yaml": "x"}}},
		},
		"EmptyKubeconfigIsNone": {
			req: &fnv1.RunFunctionRequest{RequiredResources: map[string]*fnv1.Resources{
				kubeconfigRequirement: items(secret(`{"kubeconfig":""}`)),
			}},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := readFetched(tc.req, s, settings.Settings{})
			if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(fetched{})); diff != "" {
				t.Errorf("readFetched(...): -want, +got:\n%s", diff)
			}
		})
	}
}

func TestRequirements(t *testing.T) {
	s := &spec.Spec{Components: spec.Components{UserApps: &spec.UserApps{Enabled: []string{"shop"}}}}
	set, err := settings.Resolve(&v1beta1.Input{})
	if err != nil {
		t.Fatal(err)
	}
	got := requirements(s, set, "demo-x7k2p", "team-a").GetResources()
	if diff := cmp.Diff([]string{"configmap/shop", kubeconfigRequirement, volumesRequirement, tenantHostsRequirement}, slices.Sorted(maps.Keys(got))); diff != "" {
		t.Errorf("requirement keys: -want, +got:\n%s", diff)
	}
	if sel := got["configmap/shop"]; sel.GetKind() != "ConfigMap" || sel.GetMatchName() != "shop" || sel.GetNamespace() != "team-a" {
		t.Errorf("configmap/shop: want the ConfigMap team-a/shop, got %v", sel)
	}
	if sel := got[kubeconfigRequirement]; sel.GetKind() != "Secret" || sel.GetMatchName() != "demo-x7k2p-lke-kubeconfig" || sel.GetNamespace() != set.SecretNamespace {
		t.Errorf("%s: want the cluster's connection Secret, got %v", kubeconfigRequirement, sel)
	}
	if sel := got[volumesRequirement]; sel.GetKind() != "Object" || sel.GetMatchLabels().GetLabels()["kubernetes.crossplane.io/owned-by-collection"] != "demo-x7k2p-volumes" {
		t.Errorf("%s: want the volume collection's members, got %v", volumesRequirement, sel)
	}
	if sel := got[tenantHostsRequirement]; sel.GetKind() != "Object" || sel.GetMatchLabels().GetLabels()["platform.fpc.dev/tenant-hosts"] != "demo-x7k2p-tenant-hosts" {
		t.Errorf("%s: want the host locks of the platform's tenants, got %v", tenantHostsRequirement, sel)
	}
	// Without a namespace to look in, no ConfigMap is asked for; Collect
	// reports each reference instead.
	if got := requirements(s, set, "demo-x7k2p", "").GetResources(); len(got) != 3 {
		t.Errorf("want only the kubeconfig Secret, the volumes and the tenants' hosts without a namespace, got %v", got)
	}
}
