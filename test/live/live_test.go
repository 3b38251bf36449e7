package live

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/platformcluster/function-platform-cluster/test/live/inventory"
	"github.com/platformcluster/function-platform-cluster/test/live/plane"
	"github.com/platformcluster/function-platform-cluster/test/live/standin"
)

// TestLive drives the example claim through its life on the live plane.
// The steps build on each other, so the first failure ends the test.
func TestLive(t *testing.T) {
	requirePlane(t)
	steps := []struct {
		name string
		run  func(t *testing.T)
	}{
		{"1-install-as-packages", installAsPackages},
		{"1b-missing-rbac-is-reported", missingRBACIsReported}, // rbac_test.go
		{"2-claim-composes-the-cluster", claimComposesCluster},
		{"2b-crossplane-killed-between-stages", crossplaneKilledBetweenStages}, // restart_test.go
		{"3-platform-and-workloads-ready", platformReady},
		{"4-day-2-edits-are-followed", dayTwo},
		{"4c-switched-off-component-releases-its-volumes", switchedOffReleasesVolumes}, // teardown_test.go
		{"5-bad-input-keeps-what-exists", badInput},
		{"7-function-and-provider-restarts-converge", restartsConverge},
		{"8-package-upgrade-and-bad-references", packageDayTwo},
		{"4b-removed-workload-goes", removedWorkloadReleasesVolumes(removedWorkloadGoes)}, // teardown_test.go
		{"9-tenants-share-the-platform", tenantsShareThePlatform},
		{"6-delete-removes-everything-in-order", teardownLeavesNothingBilled(deleteEverything)}, // teardown_test.go
		{"6k-kept-volumes-stay-at-linode", keptVolumesStay},                                     // teardown_test.go
	}
	for _, s := range steps {
		if !t.Run(s.name, s.run) {
			return
		}
	}
}

func sharedCRDs(t *testing.T) string {
	if d := os.Getenv("FPC_SHARED_CRDS"); d != "" {
		return d
	}
	d := repo("..", "shared", "crds")
	if _, err := os.Stat(d); err != nil {
		t.Fatalf("provider CRDs not found at %s (set FPC_SHARED_CRDS): %v", d, err)
	}
	return d
}

// claimComposesCluster applies example/claims unchanged.
func claimComposesCluster(t *testing.T) {
	ctx := ctxFor(t)
	applyExampleClaims(t)
	var xr string
	eventually(t, time.Minute, "claim bound to an XR", func() error {
		var err error
		xr, err = xrName(ctx)
		return err
	})
	eventually(t, 2*time.Minute, "LKE Cluster and NodePool composed and admitted by provider-linode's CRDs", func() error {
		got, err := composed(ctx, xr)
		if err != nil {
			return err
		}
		if !alive(got["Cluster/"+xr+"-cluster"]) || !alive(got["NodePool/"+xr+"-pool-burst"]) {
			return fmt.Errorf("composed so far: %v", names(got))
		}
		return nil
	})
	c, err := cp.Mgmt.Get(ctx, lkeCluster, "", xr+"-cluster")
	if err != nil {
		t.Fatal(err)
	}
	fp, _, _ := unstructured.NestedMap(c.Object, "spec", "forProvider")
	if fp["label"] != "demo-cluster" || fp["region"] != "us-ord" || fp["k8sVersion"] != "1.36" {
		t.Errorf("Cluster spec.forProvider: got label %v region %v k8sVersion %v, want demo-cluster us-ord 1.36", fp["label"], fp["region"], fp["k8sVersion"])
	}
}

// applyExampleClaims applies example/claims unchanged.
//
// The PlatformTenant example (team-b-*.yaml) is left out: the tenant walk
// (tenants_test.go) applies it once the platform is Ready, and a tenant
// holds the platform's deletion (its ClusterUsages) until it goes.
func applyExampleClaims(t *testing.T) {
	t.Helper()
	ctx := ctxFor(t)
	all, _ := filepath.Glob(repo("example", "claims", "*.yaml"))
	var files []string
	for _, f := range all {
		if !strings.HasPrefix(filepath.Base(f), "team-b-") {
			files = append(files, f)
		}
	}
	objs := readObjects(t, files...)
	// The namespace first, as Argo CD's sync waves or kubectl's ordering by
	// kind would apply it.
	for _, o := range objs {
		if o.GetKind() == "Namespace" {
			if err := cp.Mgmt.Apply(ctx, o); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := cp.Mgmt.Apply(ctx, objs...); err != nil {
		t.Fatalf("example/claims is not admitted: %v", err)
	}
}

// platformReady waits for the whole platform, on both API servers.
func platformReady(t *testing.T) {
	// Eight stages, each paced by the function's 15-second TTL, and
	// provider-helm installing every chart with wait on kwok's nodes:
	// measured 4.5-5.5 minutes on the shared 2-core machine at a load of
	// 30-40, over 9 at 70-90 (1.8 minutes before, with no chart installed).
	ctx, cancel := context.WithTimeout(context.Background(), 16*time.Minute)
	defer cancel()
	waitConditions(t, 15*time.Minute, "claim Ready", func() (*unstructured.Unstructured, error) { return claim(ctx) }, "Ready")
	xr, err := xrName(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got, err := composed(ctx, xr)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		keys.Of(helmPC, xr), keys.Of(kubernetesPC, xr), "Release/" + xr + "-loki", "Release/" + xr + "-grafana", "Release/" + xr + "-tempo",
		"Release/" + xr + "-alloy", "Release/" + xr + "-nginx-gateway-fabric", "Release/" + xr + "-headlamp",
		"Object/" + xr + "-gateway", "Object/" + xr + "-wl-demo-app-deployment-demo-app",
		"ClusterUsage/" + xr + "-uses-providerconfig-kubernetes-cluster",
	} {
		if !alive(got[want]) {
			t.Errorf("not composed, or being deleted: %s (composed: %v)", want, names(got))
		}
	}
	for _, k := range []string{"Cluster/" + xr + "-cluster", "Object/" + xr + "-gateway", "Object/" + xr + "-wl-demo-app-deployment-demo-app"} {
		if o := got[k]; o != nil && plane.ConditionStatus(o, "Ready") != "True" {
			t.Errorf("%s not ready: %s", k, plane.Describe(o))
		}
	}
	for k, o := range got {
		if o.GetKind() != "Object" {
			continue
		}
		if kind, _, _ := unstructured.NestedString(o.Object, "spec", "forProvider", "manifest", "kind"); kind == "Secret" {
			if d, _, _ := unstructured.NestedMap(o.Object, "spec", "forProvider", "manifest", "data"); len(d) > 0 {
				t.Errorf("%s carries a Secret with data in its spec: credentials must be generated on the cluster", k)
			}
		}
	}

	// What provider-kubernetes created on the new cluster.
	for _, w := range []struct {
		kind     schema.GroupVersionKind
		ns, name string
	}{
		{namespaceKind, "", "demo-app"}, {deploymentKind, "demo-app", "demo-app"}, {serviceKind, "demo-app", "demo-app"},
		{jobKind, "demo-app", "gen-demo-app-cache"}, {gatewayKind, "nginx-gateway", "platform-gateway"},
	} {
		if _, err := cp.Workload.Get(ctx, w.kind, w.ns, w.name); err != nil {
			t.Errorf("on the workload cluster: %s %s/%s: %v", w.kind.Kind, w.ns, w.name, err)
		}
	}
	if routes, err := cp.Workload.List(ctx, routeKind, "demo-app", ""); err != nil || len(routes) == 0 {
		t.Errorf("on the workload cluster: no HTTPRoute in demo-app (%v)", err)
	}

	c, err := claim(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, cond := range []string{"SpecValid", "ClusterReady", "AddonsReady", "WorkloadsReady", "Synced", "Ready"} {
		if plane.ConditionStatus(c, cond) != "True" {
			t.Errorf("claim condition %s not True: %s", cond, plane.Describe(c))
		}
	}
	st, _, _ := unstructured.NestedMap(c.Object, "status")
	if cl, _ := st["cluster"].(map[string]any); cl["ready"] != true || cl["endpoint"] != "https://127.0.0.1:7443" {
		t.Errorf("claim status.cluster = %v, want ready with the cluster's endpoint", st["cluster"])
	}
	if gw, _ := st["gateway"].(map[string]any); gw["address"] != standin.GatewayAddress {
		t.Errorf("claim status.gateway = %v, want address %s", st["gateway"], standin.GatewayAddress)
	}
	if comps, _ := st["components"].(map[string]any); len(comps) == 0 {
		t.Errorf("claim status.components empty: %v", st)
	}
	if wls, _ := st["workloads"].([]any); len(wls) != 1 {
		t.Errorf("claim status.workloads = %v, want demo-app", st["workloads"])
	}

	s, err := cp.Mgmt.Get(ctx, secretKind, "team-a", "demo-kubeconfig")
	if err != nil {
		t.Fatalf("claim connection secret: %v", err)
	}
	if kc, _, _ := unstructured.NestedString(s.Object, "data", "kubeconfig"); kc == "" {
		t.Errorf("claim connection secret has no kubeconfig: keys %v", s.Object["data"])
	}
	assertReachable(t, xr)
}

// dayTwo edits the claim and the Score spec and sees the composed objects
// follow.
func dayTwo(t *testing.T) {
	ctx := ctxFor(t)
	xr, err := xrName(ctx)
	if err != nil {
		t.Fatal(err)
	}
	editClaim(t, func(spec map[string]any) {
		cs := spec["clusterSpec"].(map[string]any)
		cs["nodePools"] = append(cs["nodePools"].([]any), map[string]any{"name": "extra", "type": "g6-standard-2", "count": int64(1)})
		spec["components"].(map[string]any)["headlamp"] = map[string]any{"enabled": false}
	})
	applyScore(t, func(s string) string { return strings.Replace(s, "hello:2.0.0", "hello:2.1.0", 1) })

	eventually(t, 3*time.Minute, "new NodePool composed, Headlamp Release removed", func() error {
		got, err := composed(ctx, xr)
		if err != nil {
			return err
		}
		if !alive(got["NodePool/"+xr+"-pool-extra"]) {
			return fmt.Errorf("no NodePool extra yet: %v", names(got))
		}
		if got["Release/"+xr+"-headlamp"] != nil {
			return fmt.Errorf("Headlamp Release still composed")
		}
		return nil
	})
	eventually(t, 2*time.Minute, "Headlamp's A record, Certificate and routes gone, Grafana's kept", func() error {
		if err := assertHostGone(ctx, xr, uiHost("headlamp")); err != nil {
			return err
		}
		got, err := composed(ctx, xr)
		if err != nil {
			return err
		}
		for _, r := range ofKind(got, "Record") {
			if n, _, _ := unstructured.NestedString(r.Object, "spec", "forProvider", "name"); n == "grafana" {
				return nil
			}
		}
		return plane.Permanent(fmt.Errorf("Grafana's A record went with Headlamp's"))
	})
	// A new load balancer gives the Gateway a new address: the records
	// follow it.
	const moved = "192.0.2.20"
	controllers.MoveGateway(moved)
	eventually(t, 2*time.Minute, "A records follow the Gateway's new address", func() error {
		return recordsPointAt(ctx, xr, moved)
	})
	waitImage(t, "new image on the workload cluster", "ghcr.io/example/hello:2.1.0")
}

// badInput: the API server rejects unknown fields with their path; an
// invalid value the schema admits and a broken Score spec are reported on
// the claim, and nothing composed is deleted.
func badInput(t *testing.T) {
	ctx := ctxFor(t)
	xr, err := xrName(ctx)
	if err != nil {
		t.Fatal(err)
	}
	before, err := snapshot(ctx, xr)
	if err != nil {
		t.Fatal(err)
	}

	// An unknown field never reaches the function: strict field validation
	// (kubectl's default) rejects it, naming the field.
	c := readObjects(t, repo("example", "claims", "demo-platformcluster.yaml"))[0]
	_ = unstructured.SetNestedField(c.Object, "red", "spec", "clusterSpec", "colour")
	err = cp.Mgmt.Apply(ctx, c)
	if err == nil || !strings.Contains(err.Error(), "spec.clusterSpec.colour") {
		t.Errorf("unknown field: got %v, want a rejection naming spec.clusterSpec.colour", err)
	}

	// Values only the function can judge, each reported by its path, and a
	// broken Score spec. An unusable domain must not take the platform's
	// DNS records and certificates with it.
	applyClaim(t, func(spec map[string]any) {
		pools := spec["clusterSpec"].(map[string]any)["nodePools"].([]any)
		pools[1].(map[string]any)["autoscaler"] = map[string]any{"min": int64(4), "max": int64(2)}
		gf := spec["components"].(map[string]any)["gatewayFabric"].(map[string]any)
		gf["domain"] = "platform_example.com"
		gf["tls"] = map[string]any{"email": "not an email"}
	})
	eventually(t, 2*time.Minute, "claim reports the invalid fields", func() error {
		c, err := claim(ctx)
		if err != nil {
			return err
		}
		cond := plane.Condition(c, "SpecValid")
		msg, _ := cond["message"].(string)
		if cond["status"] != "False" {
			return fmt.Errorf("%s", plane.Describe(c))
		}
		for _, path := range []string{"spec.clusterSpec.nodePools[1].autoscaler.min", "spec.components.gatewayFabric.domain", "spec.components.gatewayFabric.tls.email"} {
			if !strings.Contains(msg, path) {
				return fmt.Errorf("SpecValid does not name %s: %s", path, plane.Describe(c))
			}
		}
		return nil
	})
	// Fatal: Crossplane applies nothing, so everything composed stays.
	time.Sleep(5 * time.Second)
	assertStillComposed(t, xr, before)
	applyClaim(t, nil)

	applyScore(t, func(string) string { return "apiVersion: score.dev/v2\nmetadata: {name: demo-app}\n" })
	eventually(t, 2*time.Minute, "claim reports the broken Score spec", func() error {
		c, err := claim(ctx)
		if err != nil {
			return err
		}
		wls, _, _ := unstructured.NestedSlice(c.Object, "status", "workloads")
		for _, w := range wls {
			if m, _ := w.(map[string]any)["message"].(string); strings.Contains(m, "apiVersion") {
				return nil
			}
		}
		return fmt.Errorf("status.workloads %v", wls)
	})
	assertStillComposed(t, xr, before)
	if err := aliveOn(ctx, cp.Workload, deploymentKind, "demo-app", "demo-app"); err != nil {
		t.Errorf("delivered workload deleted by a broken spec: %v", err)
	}
	applyScore(t, func(s string) string { return strings.Replace(s, "hello:2.0.0", "hello:2.1.0", 1) })
}

// assertStillComposed fails for anything of before that is gone, being
// deleted or recreated.
func assertStillComposed(t *testing.T, xr string, before inventory.Snapshot) {
	t.Helper()
	now, err := snapshot(ctxFor(t), xr)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range inventory.Kept(before, now) {
		t.Errorf("bad input: %s", p)
	}
}

// restartsConverge kills the function while a RunFunction call is in
// flight, and provider-kubernetes while the Score image changes
// (restart_test.go).
func restartsConverge(t *testing.T) {
	functionKilledMidCall(t)
	providerKubernetesDown(t)
}

// removedWorkloadGoes takes the workload out of the claim.
func removedWorkloadGoes(t *testing.T) {
	ctx := ctxFor(t)
	xr, err := xrName(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c, err := claim(ctx)
	if err != nil {
		t.Fatal(err)
	}
	hosts, _ := workloadHosts(c)
	if len(hosts) == 0 {
		t.Fatalf("no workload host under %s in the claim's status.workloads", platformDomain)
	}
	editClaim(t, func(spec map[string]any) {
		spec["components"].(map[string]any)["userApps"].(map[string]any)["enabled"] = []any{}
	})
	eventually(t, 3*time.Minute, "workload Objects and what they created are gone", func() error {
		got, err := composed(ctx, xr)
		if err != nil {
			return err
		}
		for k := range got {
			if strings.Contains(k, "-wl-demo-app-") {
				return fmt.Errorf("still composed: %s", k)
			}
		}
		if _, err := cp.Workload.Get(ctx, deploymentKind, "demo-app", "demo-app"); err == nil {
			return fmt.Errorf("Deployment demo-app/demo-app still on the workload cluster")
		}
		return nil
	})
	eventually(t, time.Minute, "the workload's A record, Certificate and listener are gone", func() error {
		for _, h := range hosts {
			if err := assertHostGone(ctx, xr, h); err != nil {
				return err
			}
		}
		return nil
	})
}

// deleteEverything deletes the claim: nothing may be left on either API
// server, and the LKE cluster must go last.
func deleteEverything(t *testing.T) {
	ctx := ctxFor(t)
	xr, err := xrName(ctx)
	if err != nil {
		t.Fatal(err)
	}
	before, err := composed(ctx, xr)
	if err != nil {
		t.Fatal(err)
	}
	// Record the revision at which each composed resource is deleted.
	deleted := watchDeletions(t, ctx, xr)
	if platformHolder != nil {
		// The tenant walk asked for the claim's deletion, which the last
		// tenant holds: nothing of the platform is deleted until it goes.
		releasePlatform(t, ctx, xr)
	} else if err := cp.Mgmt.Delete(ctx, claimKind, "team-a", "demo"); err != nil {
		t.Fatal(err)
	}
	eventually(t, 8*time.Minute, "everything composed is gone", func() error {
		now, err := composed(ctx, xr)
		if err != nil {
			return err
		}
		if len(now) > 0 {
			return fmt.Errorf("left: %v", names(now))
		}
		return deleted.missing(names(before))
	})
	eventually(t, 2*time.Minute, "claim and XR gone", func() error {
		if _, err := claim(ctx); !apierrors.IsNotFound(err) {
			return fmt.Errorf("claim still there (%v)", err)
		}
		if _, err := cp.Mgmt.Get(ctx, xrKind, "", xr); !apierrors.IsNotFound(err) {
			return fmt.Errorf("XR still there (%v)", err)
		}
		return nil
	})
	// The ClusterUsages, enforced by Crossplane's webhook, keep the cluster
	// until what runs on it and reaches it is gone.
	late, err := inventory.DeletedAfter(deleted.seen(), "Cluster/"+xr+"-cluster", func(k string) bool { return strings.Contains(k, "-uses-") })
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range late {
		t.Error(l)
	}
	eventually(t, 3*time.Minute, "nothing left on the workload cluster", func() error {
		for _, k := range []schema.GroupVersionKind{deploymentKind, serviceKind, jobKind, routeKind, gatewayKind, certificateKind, clusterIssuerKind} {
			items, err := cp.Workload.List(ctx, k, "", "")
			if err != nil {
				return err
			}
			for _, i := range items {
				if i.GetNamespace() == "default" && i.GetName() == "kubernetes" {
					continue
				}
				// The Gateway API CRDs' installer Job is orphaned once it
				// completed; Kubernetes' TTL controller (not run here)
				// deletes it and its pod.
				if _, ttl, _ := unstructured.NestedInt64(i.Object, "spec", "ttlSecondsAfterFinished"); k == jobKind && ttl && plane.Condition(&i, "Complete")["status"] == "True" {
					continue
				}
				return fmt.Errorf("%s %s/%s left", k.Kind, i.GetNamespace(), i.GetName())
			}
		}
		if _, err := cp.Workload.Get(ctx, namespaceKind, "", "demo-app"); err == nil {
			return fmt.Errorf("namespace demo-app left")
		}
		return nil
	})
	if _, err := cp.Mgmt.Get(ctx, secretKind, "team-a", "demo-kubeconfig"); !apierrors.IsNotFound(err) {
		t.Errorf("claim connection secret left (%v)", err)
	}
}
