package fn

import (
	"context"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/testing/protocmp"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/crossplane/function-sdk-go/logging"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/resource"

	"github.com/platformcluster/function-platform-cluster/fn/compose"
	"github.com/platformcluster/function-platform-cluster/fn/fntest"
	"github.com/platformcluster/function-platform-cluster/fn/observed"
	"github.com/platformcluster/function-platform-cluster/fn/protection"
	"github.com/platformcluster/function-platform-cluster/fn/workload"
)

// ready runs the full claim until every stage is composed and ready.
func readyPlatform(t *testing.T, spec string) *fnv1.RunFunctionResponse {
	t.Helper()
	var last *fnv1.RunFunctionResponse
	for range 6 {
		last = reconcile(t, spec, last, fntest.All)
	}
	return last
}

// volumeMembers are the collection's members for three claims: Grafana's
// and Loki's, bound, and a workload's, not bound yet.
func volumeMembers() *fnv1.Resources {
	m := func(ns, name, pv string) *fnv1.Resource {
		spec := `{}`
		if pv != "" {
			spec = `{"volumeName": "` + pv + `"}`
		}
		return &fnv1.Resource{Resource: resource.MustStructJSON(`{"apiVersion": "kubernetes.crossplane.io/v1alpha2", "kind": "Object",
			"metadata": {"name": "demo-x7k2p-volumes-` + pv + `", "labels": {"kubernetes.crossplane.io/owned-by-collection": "demo-x7k2p-volumes"}},
			"status": {"atProvider": {"manifest": {"apiVersion": "v1", "kind": "PersistentVolumeClaim",
				"metadata": {"name": "` + name + `", "namespace": "` + ns + `"}, "spec": ` + spec + `}}}}`)}
	}
	return &fnv1.Resources{Items: []*fnv1.Resource{
		m("observability", "storage-loki-0", "pvc-2"),
		m("shop", "data", ""),
		m("observability", "grafana", "pvc-1"),
	}}
}

// teardownOf returns the desired resources teardown composes, and the XR's
// status.teardown.
func teardownOf(rsp *fnv1.RunFunctionResponse) (map[string]*fnv1.Resource, *structpb.Value) {
	out := map[string]*fnv1.Resource{}
	for k, r := range rsp.GetDesired().GetResources() {
		if strings.HasPrefix(k, "teardown-") || strings.HasPrefix(k, "usage-teardown-") || strings.HasSuffix(k, "-teardown-lb-gateway") {
			out[k] = r
		}
	}
	return out, rsp.GetDesired().GetComposite().GetResource().GetFields()["status"].GetStructValue().GetFields()["teardown"]
}

func runRequest(t *testing.T, req *fnv1.RunFunctionRequest) *fnv1.RunFunctionResponse {
	t.Helper()
	rsp, err := New(logging.NewNopLogger()).RunFunction(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	return rsp
}

func policies(r *fnv1.Resource) []any {
	return r.GetResource().AsMap()["spec"].(map[string]any)["managementPolicies"].([]any)
}

func TestTeardownGuardsEveryVolume(t *testing.T) {
	keep := strings.Replace(fntest.Full, `"components"`, `"volumesOnDelete": "Keep", "components"`, 1)
	cases := map[string]struct {
		spec         string
		pvc, pv      []any
		reclaim      string
		wantOnDelete string
	}{
		"Delete": {spec: fntest.Full, pvc: []any{"Observe", "Delete"}, pv: []any{"Observe", "Create", "Update", "Delete"}, reclaim: "Delete", wantOnDelete: "Delete"},
		"Keep":   {spec: keep, pvc: []any{"Observe", "LateInitialize"}, pv: []any{"Observe", "Create", "Update"}, reclaim: "Retain", wantOnDelete: "Keep"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			req := fntest.RequestFor(tc.spec, readyPlatform(t, tc.spec), fntest.All)
			req.RequiredResources = map[string]*fnv1.Resources{volumesRequirement: volumeMembers()}
			got, status := teardownOf(runRequest(t, req))
			want := []string{
				"teardown-lb-gateway",
				"teardown-pv-pvc-1", "teardown-pv-pvc-2",
				"teardown-pvc-observability.grafana", "teardown-pvc-observability.storage-loki-0", "teardown-pvc-shop.data",
				"teardown-volumes",
				// The Gateway's load balancer outlives the Gateway, the
				// kubernetes ProviderConfig (and so the cluster) outlives
				// every guard, and a volume outlives its claim.
				"usage-object-gateway-teardown-lb-gateway",
				"usage-teardown-lb-gateway-providerconfig-kubernetes",
				"usage-teardown-pv-pvc-1-providerconfig-kubernetes", "usage-teardown-pv-pvc-2-providerconfig-kubernetes",
				"usage-teardown-pvc-observability.grafana-providerconfig-kubernetes",
				"usage-teardown-pvc-observability.grafana-teardown-pv-pvc-1",
				"usage-teardown-pvc-observability.storage-loki-0-providerconfig-kubernetes",
				"usage-teardown-pvc-observability.storage-loki-0-teardown-pv-pvc-2",
				"usage-teardown-pvc-shop.data-providerconfig-kubernetes",
			}
			if diff := cmp.Diff(want, sortedKeys(got)); diff != "" {
				t.Errorf("teardown resources: -want, +got:\n%s", diff)
			}
			if diff := cmp.Diff(tc.pvc, policies(got["teardown-pvc-shop.data"])); diff != "" {
				t.Errorf("claim guard policies: -want, +got:\n%s", diff)
			}
			if diff := cmp.Diff(tc.pv, policies(got["teardown-pv-pvc-1"])); diff != "" {
				t.Errorf("volume guard policies: -want, +got:\n%s", diff)
			}
			m := got["teardown-pv-pvc-1"].GetResource().AsMap()["spec"].(map[string]any)["forProvider"].(map[string]any)["manifest"].(map[string]any)
			if r := m["spec"].(map[string]any)["persistentVolumeReclaimPolicy"]; r != tc.reclaim {
				t.Errorf("reclaim policy: want %s, got %v", tc.reclaim, r)
			}
			// Guards are ready once observed: a volume that is not there
			// yet never holds the platform back.
			for _, k := range []string{"teardown-volumes", "teardown-lb-gateway", "usage-teardown-lb-gateway-providerconfig-kubernetes"} {
				if r := got[k]; r.GetReady() != fnv1.Ready_READY_TRUE {
					t.Errorf("%s: observed, so want READY_TRUE, got %s", k, r.GetReady())
				}
			}
			if r := got["teardown-pvc-shop.data"]; r.GetReady() != fnv1.Ready_READY_FALSE {
				t.Errorf("teardown-pvc-shop.data: not observed yet, want READY_FALSE, got %s", r.GetReady())
			}
			wantStatus := resource.MustStructJSON(`{"volumesOnDelete": "` + tc.wantOnDelete + `",
				"volumes": [{"claim": "observability/grafana", "volume": "pvc-1"}, {"claim": "observability/storage-loki-0", "volume": "pvc-2"}, {"claim": "shop/data"}],
				"loadBalancers": ["nginx-gateway/platform-gateway-nginx"]}`)
			if diff := cmp.Diff(wantStatus, status.GetStructValue(), protocmp.Transform()); diff != "" {
				t.Errorf("status.teardown: -want, +got:\n%s", diff)
			}
		})
	}
}

// A guard is dropped only when its volume is gone from the cluster; when
// Crossplane did not fetch the volumes, every guard is composed as it was.
func TestTeardownGuardsStayUntilTheirVolumeGoes(t *testing.T) {
	req := fntest.RequestFor(fntest.Full, readyPlatform(t, fntest.Full), fntest.All)
	req.RequiredResources = map[string]*fnv1.Resources{volumesRequirement: volumeMembers()}
	guarded := runRequest(t, req)
	want, _ := teardownOf(guarded)

	notFetched := fntest.RequestFor(fntest.Full, guarded, fntest.All)
	got, status := teardownOf(runRequest(t, notFetched))
	if diff := cmp.Diff(sortedKeys(want), sortedKeys(got)); diff != "" {
		t.Errorf("volumes not fetched: guards -want, +got:\n%s", diff)
	}
	for k, r := range want {
		if diff := cmp.Diff(r.GetResource(), got[k].GetResource(), protocmp.Transform()); diff != "" {
			t.Errorf("volumes not fetched: %s changed: -want, +got:\n%s", k, diff)
		}
	}
	if !status.GetStructValue().GetFields()["volumesUnknown"].GetBoolValue() {
		t.Errorf("volumes not fetched: want status.teardown.volumesUnknown, got %v", status)
	}

	gone := fntest.RequestFor(fntest.Full, guarded, fntest.All)
	members := volumeMembers()
	members.Items = members.Items[:2] // Grafana's claim was deleted
	gone.RequiredResources = map[string]*fnv1.Resources{volumesRequirement: members}
	got, _ = teardownOf(runRequest(t, gone))
	for _, k := range []string{"teardown-pvc-observability.grafana", "teardown-pv-pvc-1", "usage-teardown-pv-pvc-1-providerconfig-kubernetes"} {
		if _, ok := got[k]; ok {
			t.Errorf("%s: Grafana's claim is gone, want its guard dropped", k)
		}
	}
	if _, ok := got["teardown-pv-pvc-2"]; !ok {
		t.Errorf("Loki's volume lost its guard")
	}
}

func sortedKeys(m map[string]*fnv1.Resource) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// A workload's LoadBalancer Service is deleted, and its NodeBalancer with
// it, before the cluster: the cluster outlives its Object. Other Objects
// get no such usage, and neither does one held back.
func TestWorkloadLoadBalancerOutlivedByTheCluster(t *testing.T) {
	obj := func(key, kind, typ string) compose.Resource {
		return compose.Resource{Key: key, Object: map[string]any{
			"apiVersion": "kubernetes.crossplane.io/v1alpha2", "kind": "Object", "metadata": map[string]any{"name": "x-" + key},
			"spec": map[string]any{"forProvider": map[string]any{"manifest": map[string]any{
				"apiVersion": "v1", "kind": kind, "metadata": map[string]any{"name": key}, "spec": map[string]any{"type": typ},
			}}},
		}}
	}
	p := &admitted{owner: compose.Owner{XR: "x"}, obs: observed.State{}}
	cluster := protection.Ref{Key: "cluster", APIVersion: "lke.linode.upbound.io/v1alpha1", Kind: "Cluster", Name: "x-cluster"}
	d := workload.Delivery{Name: "w", Resources: []compose.Resource{
		obj("wl-w-service-lb", "Service", "LoadBalancer"), obj("wl-w-service-web", "Service", "ClusterIP"),
	}}
	p.addDelivery(d, nil, "", &workloadStatus{name: "w"}, cluster)
	held := workload.Delivery{Name: "v", Resources: []compose.Resource{obj("wl-v-service-lb", "Service", "LoadBalancer")}}
	p.addDelivery(held, []need{{what: "the Gateway"}}, "waiting", &workloadStatus{name: "v"}, cluster)
	var got []string
	for _, r := range p.resources {
		got = append(got, r.Key)
	}
	want := []string{"wl-w-service-lb", "wl-w-service-web", "usage-wl-w-service-lb-cluster"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("composed: -want, +got:\n%s", diff)
	}
}
