package live

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/platformcluster/function-platform-cluster/test/live/inventory"
	"github.com/platformcluster/function-platform-cluster/test/live/plane"
)

// assertSameComposed fails unless everything of before still stands as the
// same object (not deleted, not being deleted, not recreated) and nothing
// composed now is composed twice.
func assertSameComposed(t *testing.T, what string, before inventory.Snapshot, xr string) {
	t.Helper()
	after, err := snapshot(ctxFor(t), xr)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range append(inventory.Kept(before, after), inventory.Duplicates(after)...) {
		t.Errorf("%s: %s", what, p)
	}
	t.Logf("%s: %d composed resources before, %d after, every one of before kept with its UID", what, len(before), len(after))
}

// crossplaneKilledBetweenStages kills Crossplane core once the LKE cluster
// is Ready and before any add-on is composed, and starts it again: the
// claim converges, and what was composed is neither deleted nor composed
// again.
func crossplaneKilledBetweenStages(t *testing.T) {
	ctx := ctxFor(t)
	xr := mustXR(t, ctx)
	var before inventory.Snapshot
	eventually(t, 3*time.Minute, "LKE cluster Ready, no add-on composed yet", func() error {
		got, err := composed(ctx, xr)
		if err != nil {
			return err
		}
		if n := len(ofKind(got, "Release")); n > 0 {
			return plane.Permanent(fmt.Errorf("%d Releases composed already: the stage between cluster and add-ons was missed", n))
		}
		if c := got["Cluster/"+xr+"-cluster"]; c == nil || plane.ConditionStatus(c, "Ready") != "True" {
			return fmt.Errorf("cluster not Ready yet: %v", names(got))
		}
		before = keys.Take(got)
		return nil
	})
	cp.Kill("crossplane")
	t.Logf("Crossplane killed with %d composed resources: %v", len(before), sortedKeys(before))
	time.Sleep(5 * time.Second)
	if err := cp.RestartCrossplane(ctx); err != nil {
		t.Fatal(err)
	}
	waitConditions(t, 9*time.Minute, "claim Ready after Crossplane restarted", func() (*unstructured.Unstructured, error) { return claim(ctx) }, "Ready")
	assertSameComposed(t, "Crossplane restarted between stages", before, xr)
}

// functionKilledMidCall kills the function while Crossplane waits for its
// answer to a RunFunction call: the gate in front of the function lets the
// call through and holds the response back. Crossplane sees the call fail;
// the claim converges with the change that started the call, and nothing
// composed is deleted or composed twice.
func functionKilledMidCall(t *testing.T) {
	ctx := ctxFor(t)
	xr := mustXR(t, ctx)
	before, err := snapshot(ctx, xr)
	if err != nil {
		t.Fatal(err)
	}
	held := make(chan plane.HeldCall, 1)
	holdErr := make(chan error, 1)
	holdCtx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	go func() {
		h, err := cp.Gate.Hold(holdCtx)
		held <- h
		holdErr <- err
	}()
	for !cp.Gate.Armed() {
		time.Sleep(10 * time.Millisecond)
	}
	// A change, so that a call is made now rather than at the next poll.
	edited := time.Now()
	editClaim(t, func(spec map[string]any) {
		pools := spec["clusterSpec"].(map[string]any)["nodePools"].([]any)
		pools[0].(map[string]any)["count"] = int64(4)
	})
	h := <-held
	if err := <-holdErr; err != nil {
		t.Fatal(err)
	}
	failedBefore := failedCalls(t)
	killed := time.Now()
	cp.Kill("function")
	if x, err := cp.Mgmt.Get(ctx, xrKind, "", xr); err == nil {
		t.Logf("the XR when the call was held: %s", plane.Describe(x))
	}
	t.Logf("function killed with a call in flight, %s after the claim edit: %d request bytes delivered to it, %d response bytes held from Crossplane",
		time.Since(edited).Round(100*time.Millisecond), h.RequestBytes, h.ResponseBytes)
	// Crossplane counts the failed call by its gRPC code, records it as a
	// Warning event on the XR, and as Synced=False unless that status update
	// loses a race with another writer of the XR; its next try then waits
	// for the function. The event can be dropped: client-go's recorder lets
	// 25 Warning events per object through and then one per five minutes
	// (record.getSpamKey, client-go v0.35.3 in Crossplane v2.4.0), and by
	// now step 5's bad input has the XR warn on every reconcile.
	eventually(t, time.Minute, "Crossplane sees the call fail", func() error {
		x, err := cp.Mgmt.Get(ctx, xrKind, "", xr)
		if err != nil {
			return err
		}
		if plane.ConditionStatus(x, "Synced") == "False" {
			t.Logf("reported: %s", plane.Describe(x))
			return nil
		}
		if n := failedCalls(t) - failedBefore; n > 0 {
			t.Logf("Crossplane counted %v failed RunFunction call(s) (function_run_function_response_total by grpc_code)", n)
			return nil
		}
		msg, err := xrWarningSince(ctx, xr, "rpc error", killed)
		if err != nil {
			return fmt.Errorf("%w; %s", err, plane.Describe(x))
		}
		t.Logf("reported by event: %s", msg)
		return nil
	})
	assertSameComposed(t, "function down after a call in flight", before, xr)
	if err := cp.Restart("function"); err != nil {
		t.Fatal(err)
	}
	waitPoolCount(t, xr, 4, "pool count follows after the function restarts")
	waitConditions(t, 3*time.Minute, "claim Ready again", func() (*unstructured.Unstructured, error) { return claim(ctx) }, "Ready")
	assertSameComposed(t, "function restarted after a call in flight", before, xr)
}

// providerKubernetesDown changes the Score image with provider-kubernetes
// down. The function must still compose the new image into the Object (a
// function that kept the old spec, e.g. from a stale conversion cache,
// fails here), and nothing else may apply it to the workload cluster until
// provider-kubernetes is back.
func providerKubernetesDown(t *testing.T) {
	ctx := ctxFor(t)
	xr := mustXR(t, ctx)
	const image = "ghcr.io/example/hello:2.2.0"
	cp.Kill("provider-kubernetes")
	applyScore(t, func(s string) string { return strings.Replace(s, "hello:2.0.0", "hello:2.2.0", 1) })
	obj := "Object/" + xr + "-wl-demo-app-deployment-demo-app"
	eventually(t, 2*time.Minute, "with provider-kubernetes down, the function composes the new image", func() error {
		got, err := composed(ctx, xr)
		if err != nil {
			return err
		}
		o := got[obj]
		if !alive(o) {
			return plane.Permanent(fmt.Errorf("%s not composed, or being deleted", obj))
		}
		cs, _, _ := unstructured.NestedSlice(o.Object, "spec", "forProvider", "manifest", "spec", "template", "spec", "containers")
		if len(cs) == 0 {
			return fmt.Errorf("%s wraps no containers", obj)
		}
		if img, _ := cs[0].(map[string]any)["image"].(string); img != image {
			return fmt.Errorf("%s composes image %s", obj, img)
		}
		return nil
	})
	if img, _ := workloadImage(ctx, "demo-app", "demo-app"); img == image {
		t.Fatal("the image changed on the workload cluster with provider-kubernetes down: something else applies Objects")
	}
	if err := cp.Restart("provider-kubernetes"); err != nil {
		t.Fatal(err)
	}
	waitImage(t, "image follows after provider-kubernetes restarts", image)
	waitConditions(t, 3*time.Minute, "claim Ready again", func() (*unstructured.Unstructured, error) { return claim(ctx) }, "Ready")
}

func sortedKeys(s inventory.Snapshot) []string {
	m := map[string]*unstructured.Unstructured{}
	for k := range s {
		m[k] = nil
	}
	return names(m)
}

// failedCalls is how many RunFunction calls Crossplane has seen fail: its
// responses counted with a gRPC code other than OK.
func failedCalls(t *testing.T) float64 {
	t.Helper()
	xp := metrics(t, crossplaneMetrics)
	const m = "function_run_function_response_total"
	return xp.sum(m, "") - xp.sum(m, `grpc_code="OK"`)
}
