package fn

import (
	"context"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/crossplane/function-sdk-go/logging"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/resource"
	"github.com/crossplane/function-sdk-go/response"

	"github.com/platformcluster/function-platform-cluster/fn/compose"
	"github.com/platformcluster/function-platform-cluster/fn/fntest"
	"github.com/platformcluster/function-platform-cluster/fn/observed"
)

const full = fntest.Full

// reconcile runs the function once against what a simulated control plane
// observed: everything desired last time exists, and is Ready when ready(key).
func reconcile(t *testing.T, xrSpec string, last *fnv1.RunFunctionResponse, ready fntest.Ready) *fnv1.RunFunctionResponse {
	t.Helper()
	rsp, err := New(logging.NewNopLogger()).RunFunction(context.Background(), fntest.RequestFor(xrSpec, last, ready))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rsp.GetResults() {
		if r.GetSeverity() == fnv1.Severity_SEVERITY_FATAL {
			t.Fatalf("unexpected fatal result: %s", r.GetMessage())
		}
	}
	return rsp
}

func keys(rsp *fnv1.RunFunctionResponse) []string {
	out := []string{}
	for k := range rsp.GetDesired().GetResources() {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func TestAdmit(t *testing.T) {
	obs := observed.State{
		"observed": {Resource: resource.MustStructJSON(`{"status": {}}`)},
		"ready":    {Resource: resource.MustStructJSON(`{"status": {"conditions": [{"type": "Ready", "status": "True"}]}}`)},
	}
	unmetNeed, metNeed := need{what: "x", met: false}, need{what: "y", met: true}
	cases := map[string]struct {
		it          item
		wantReady   bool
		wantHeld    []string
		wantWaiting string
	}{
		"NeedsMet":                   {it: item{Resource: compose.Resource{Key: "new"}, needs: []need{metNeed}}},
		"HeldWhileANeedIsUnmet":      {it: item{Resource: compose.Resource{Key: "new"}, needs: []need{unmetNeed, metNeed}}, wantHeld: []string{"x"}, wantWaiting: "new waits for [x]"},
		"OnceComposedAlwaysComposed": {it: item{Resource: compose.Resource{Key: "observed"}, needs: []need{unmetNeed}}},
		"ReadyByItsReadyCondition":   {it: item{Resource: compose.Resource{Key: "ready"}}, wantReady: true},
		"ReadyWhenObserved":          {it: item{Resource: compose.Resource{Key: "observed"}, readyWhenObserved: true}, wantReady: true},
		"NotReadyUntilObserved":      {it: item{Resource: compose.Resource{Key: "new"}, readyWhenObserved: true}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			p := &admitted{obs: obs}
			ready, held := p.admit(tc.it)
			if ready != tc.wantReady {
				t.Errorf("ready: want %v, got %v", tc.wantReady, ready)
			}
			if diff := cmp.Diff(tc.wantHeld, held); diff != "" {
				t.Errorf("held: -want, +got:\n%s", diff)
			}
			if got := p.waiting.String(); got != tc.wantWaiting {
				t.Errorf("waiting: want %q, got %q", tc.wantWaiting, got)
			}
			if composed := len(p.resources) == 1; composed != (held == nil) {
				t.Errorf("composed: want %v, got %v", held == nil, composed)
			}
		})
	}
}

func TestStagesUntilReady(t *testing.T) {
	steps := []struct {
		name      string
		wantAdded []string
	}{
		{"ClusterFirst", []string{"cluster", "nodepool-burst", "usage-nodepool-burst-cluster"}},
		{"ProviderConfigsOnceClusterIsReady", []string{
			"providerconfig-helm", "providerconfig-kubernetes",
			"usage-providerconfig-helm-cluster", "usage-providerconfig-kubernetes-cluster",
		}},
		{"AddonsOnceProviderConfigsExist", []string{
			"object-gateway-api-crds", "object-gateway-api-crds-clusterrole",
			"object-gateway-api-crds-clusterrolebinding", "object-gateway-api-crds-serviceaccount",
			"release-headlamp", "release-alloy", "storageclass", "teardown-volumes",
		}},
		// Add-ons with volumes wait for the platform's StorageClass.
		{"GatewayControllerAfterItsCRDs", []string{
			"release-grafana", "release-loki",
			"release-nginx-gateway-fabric",
		}},
		// The Gateway's load balancer is guarded from the start.
		{"GatewayAfterItsController", []string{
			"object-gateway", "teardown-lb-gateway",
			"usage-object-gateway-release-nginx-gateway-fabric",
			"usage-object-gateway-teardown-lb-gateway", "usage-release-nginx-gateway-fabric-providerconfig-helm",
			"usage-teardown-lb-gateway-providerconfig-kubernetes",
		}},
		{"Stable", nil},
	}
	var last *fnv1.RunFunctionResponse
	var before []string
	for _, s := range steps {
		rsp := reconcile(t, full, last, fntest.All)
		now := keys(rsp)
		checkStep(t, s.name, before, now, s.wantAdded)
		// Crossplane calls again after the TTL: soon while stages are
		// still to come, at the default pace once nothing is.
		wantTTL := settlingTTL
		if s.name == "Stable" {
			wantTTL = response.DefaultTTL
		}
		if got := rsp.GetMeta().GetTtl().AsDuration(); got != wantTTL {
			t.Errorf("%s: response TTL %s, want %s", s.name, got, wantTTL)
		}
		before, last = now, rsp
	}

	// Once everything is observed ready, every resource is ready, the XR is
	// no longer held unready, and every component reports ready.
	for k, r := range last.GetDesired().GetResources() {
		if r.GetReady() != fnv1.Ready_READY_TRUE {
			t.Errorf("%s: want READY_TRUE, got %s", k, r.GetReady())
		}
	}
	if got := last.GetDesired().GetComposite().GetReady(); got != fnv1.Ready_READY_UNSPECIFIED {
		t.Errorf("XR readiness: want READY_UNSPECIFIED (derived from composed resources), got %s", got)
	}
	comps := last.GetDesired().GetComposite().GetResource().AsMap()["status"].(map[string]any)["components"].(map[string]any)
	for _, c := range []string{"alloy", "gateway", "grafana", "headlamp", "loki"} {
		if comps[c].(map[string]any)["ready"] != true {
			t.Errorf("status.components.%s: want ready, got %v", c, comps[c])
		}
	}
	if _, ok := comps["tempo"]; ok {
		t.Errorf("status.components.tempo: tempo is disabled and must not be reported")
	}
	if got := string(last.GetDesired().GetComposite().GetConnectionDetails()["kubeconfig"]); !strings.Contains(got, "kind: Config") {
		t.Errorf("XR connection detail kubeconfig: want the cluster's kubeconfig, got %q", got)
	}
}

// checkStep fails unless going from the keys composed before to now adds
// exactly wantAdded and drops nothing: a dropped resource would be deleted.
func checkStep(t *testing.T, step string, before, now, wantAdded []string) {
	t.Helper()
	var added []string
	for _, k := range now {
		if !slices.Contains(before, k) {
			added = append(added, k)
		}
	}
	want := append([]string{}, wantAdded...)
	sort.Strings(want)
	if diff := cmp.Diff(want, added, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("%s: composed resources added: -want, +got:\n%s", step, diff)
	}
	for _, k := range before {
		if !slices.Contains(now, k) {
			t.Errorf("%s: %s was composed before and dropped, which would delete it", step, k)
		}
	}
}

func TestClusterReadyWithoutKubeconfigHoldsProviderConfigs(t *testing.T) {
	first := reconcile(t, full, nil, fntest.None)
	// The cluster reports Ready but has not published its kubeconfig yet.
	obs := fntest.Observed(first, fntest.All, false)
	rsp, err := New(logging.NewNopLogger()).RunFunction(context.Background(), &fnv1.RunFunctionRequest{
		Input:    resource.MustStructJSON(fntest.Input),
		Observed: &fnv1.State{Composite: fntest.XR(full), Resources: obs},
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := keys(rsp); slices.Contains(got, "providerconfig-helm") {
		t.Errorf("ProviderConfigs composed before the kubeconfig exists: %v", got)
	}
	if rsp.GetDesired().GetComposite().GetReady() != fnv1.Ready_READY_FALSE {
		t.Errorf("XR must be held unready while stages wait")
	}
}

func TestArgoCDTrackingIsNotInherited(t *testing.T) {
	x := fntest.XR(full)
	md := x.GetResource().GetFields()["metadata"].GetStructValue()
	md.Fields["labels"] = structpb.NewStructValue(resource.MustStructJSON(`{"app.kubernetes.io/instance": "platform-claims", "argocd.argoproj.io/instance": "platform-claims", "crossplane.io/claim-name": "demo", "cost-center": "42"}`))
	md.Fields["annotations"] = structpb.NewStructValue(resource.MustStructJSON(`{"argocd.argoproj.io/tracking-id": "platform-claims:platform.fpc.dev/PlatformCluster:team-a/demo"}`))
	rsp, err := New(logging.NewNopLogger()).RunFunction(context.Background(), &fnv1.RunFunctionRequest{
		Input:    resource.MustStructJSON(fntest.Input),
		Observed: &fnv1.State{Composite: x},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(rsp.GetDesired().GetResources()) == 0 {
		t.Fatal("no composed resources to check")
	}
	for k, r := range rsp.GetDesired().GetResources() {
		meta := r.GetResource().AsMap()["metadata"].(map[string]any)
		labels, _ := meta["labels"].(map[string]any)
		for l := range labels {
			if strings.Contains(l, "argocd") || l == "app.kubernetes.io/instance" || strings.HasPrefix(l, "crossplane.io/") {
				t.Errorf("%s: inherited tracking label %q", k, l)
			}
		}
		if labels["cost-center"] != "42" {
			t.Errorf("%s: want the XR's own label cost-center inherited, got labels %v", k, labels)
		}
		if ann, ok := meta["annotations"].(map[string]any); ok {
			if _, bad := ann["argocd.argoproj.io/tracking-id"]; bad {
				t.Errorf("%s: inherited Argo CD tracking annotation", k)
			}
		}
	}
}

// TestKubeconfigSecretUnlocksProviderConfigs covers Crossplane versions and
// crossplane render, which pass no observed connection details: the
// kubeconfig Secret, fetched as a required resource, is enough.
func TestKubeconfigSecretUnlocksProviderConfigs(t *testing.T) {
	first := reconcile(t, full, nil, fntest.None)
	obs := fntest.Observed(first, fntest.All, false)
	for name, secret := range map[string]string{
		"WithKubeconfig":  `{"apiVersion":"v1","kind":"Secret","metadata":{"name":"demo-x7k2p-lke-kubeconfig","namespace":"crossplane-system"},"data":{"kubeconfig":"YXBpVmVyc2lvbjogdjEK"}}`,
		"EmptyKubeconfig": `{"apiVersion":"v1","kind":"Secret","metadata":{"name":"demo-x7k2p-lke-kubeconfig","namespace":"crossplane-system"},"data":{"kubeconfig":""}}`,
	} {
		t.Run(name, func(t *testing.T) {
			rsp, err := New(logging.NewNopLogger()).RunFunction(context.Background(), &fnv1.RunFunctionRequest{
				Input:    resource.MustStructJSON(fntest.Input),
				Observed: &fnv1.State{Composite: fntest.XR(full), Resources: obs},
				RequiredResources: map[string]*fnv1.Resources{
					"lke-kubeconfig": {Items: []*fnv1.Resource{{Resource: resource.MustStructJSON(secret)}}},
				},
			})
			if err != nil {
				t.Fatal(err)
			}
			_, got := rsp.GetDesired().GetResources()["providerconfig-helm"]
			if want := name == "WithKubeconfig"; got != want {
				t.Errorf("providerconfig-helm composed: want %v, got %v", want, got)
			}
		})
	}
}

func TestGatewayAddressInStatus(t *testing.T) {
	var last *fnv1.RunFunctionResponse
	for range 5 {
		last = reconcile(t, full, last, fntest.All)
	}
	obs := fntest.Observed(last, fntest.All, true)
	gw, ok := obs["object-gateway"]
	if !ok {
		t.Fatal("the Gateway was never composed")
	}
	gw.Resource.Fields["status"] = structpb.NewStructValue(resource.MustStructJSON(`{
		"conditions": [{"type": "Ready", "status": "True"}],
		"atProvider": {"manifest": {"status": {"addresses": [{"type": "IPAddress", "value": "192.0.2.10"}]}}}}`))
	rsp, err := New(logging.NewNopLogger()).RunFunction(context.Background(), &fnv1.RunFunctionRequest{
		Input:    resource.MustStructJSON(fntest.Input),
		Observed: &fnv1.State{Composite: fntest.XR(full), Resources: obs},
	})
	if err != nil {
		t.Fatal(err)
	}
	status := rsp.GetDesired().GetComposite().GetResource().AsMap()["status"].(map[string]any)
	if diff := cmp.Diff(map[string]any{"address": "192.0.2.10"}, status["gateway"]); diff != "" {
		t.Errorf("status.gateway: -want, +got:\n%s", diff)
	}
}
