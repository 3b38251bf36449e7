package standin

import (
	"context"
	"encoding/base64"
	"fmt"
	"strconv"
	"sync/atomic"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/platformcluster/function-platform-cluster/fn/gatewayapi"
	"github.com/platformcluster/function-platform-cluster/test/live/plane"
)

// GatewayAddress is the address the stand-in gives every Gateway until
// MoveGateway, from the documentation range (RFC 5737).
const GatewayAddress = "192.0.2.10"

// Cluster stands in for the controllers behind the workload API server,
// which has no nodes: Deployments and StatefulSets report their replicas
// available (kubelet
// and the Deployment controller), Jobs report success (the Job controller
// and the generator script's run), Gateways report Programmed with an
// address and HTTPRoutes Accepted (NGINX Gateway Fabric). Objects are
// created, updated and deleted only by provider-kubernetes; this writes
// status alone.
type Cluster struct {
	Workload *plane.Kube
	// moved is the Gateways' address after MoveGateway.
	moved atomic.Pointer[string]
}

// MoveGateway gives every Gateway a new address from now on, as a load
// balancer replaced under it would.
func (c *Cluster) MoveGateway(address string) { c.moved.Store(&address) }

func (c *Cluster) gatewayAddress() string {
	if a := c.moved.Load(); a != nil {
		return *a
	}
	return GatewayAddress
}

// Run reconciles until ctx ends.
func (c *Cluster) Run(ctx context.Context, logf Logf) {
	run(ctx, logf, time.Second,
		reconcile{kube: c.Workload, gvk: gvk("apps", "v1", "Deployment"), fn: statusOnly(replicasReady)},
		reconcile{kube: c.Workload, gvk: gvk("apps", "v1", "StatefulSet"), fn: statusOnly(replicasReady)},
		reconcile{kube: c.Workload, gvk: gvk("batch", "v1", "Job"), fn: c.jobRun},
		reconcile{kube: c.Workload, gvk: gvk("gateway.networking.k8s.io", "v1", "Gateway"), fn: statusOnly(c.gatewayProgrammed)},
		reconcile{kube: c.Workload, gvk: gvk("gateway.networking.k8s.io", "v1", "HTTPRoute"), fn: statusOnly(routeAccepted)},
	)
}

// statusOnly writes the status set returns, when it changed anything.
func statusOnly(set func(u *unstructured.Unstructured) bool) func(context.Context, resourceClient, *unstructured.Unstructured) error {
	return func(ctx context.Context, r resourceClient, u *unstructured.Unstructured) error {
		if u.GetDeletionTimestamp() != nil || !set(u) {
			return nil
		}
		_, err := r.UpdateStatus(ctx, u, metav1.UpdateOptions{})
		return err
	}
}

// replicasReady reports every replica of a Deployment or StatefulSet ready
// and available for its current generation.
func replicasReady(u *unstructured.Unstructured) bool {
	want, ok, _ := unstructured.NestedInt64(u.Object, "spec", "replicas")
	if !ok {
		want = 1
	}
	have, _, _ := unstructured.NestedInt64(u.Object, "status", "availableReplicas")
	gen, _, _ := unstructured.NestedInt64(u.Object, "status", "observedGeneration")
	if have == want && gen == u.GetGeneration() {
		return false
	}
	for _, f := range []string{"replicas", "readyReplicas", "availableReplicas", "updatedReplicas"} {
		_ = unstructured.SetNestedField(u.Object, want, "status", f)
	}
	_ = unstructured.SetNestedField(u.Object, u.GetGeneration(), "status", "observedGeneration")
	return true
}

// jobRun does what a Job's pod would and reports it succeeded. The Gateway
// API CRDs' installer (fn/addons/crds.go) applies the release's install
// file and waits until every CRD is Established: here the function's own
// copies of those CRDs (fn/gatewayapi/crds) are applied to the real API
// server and waited for, since nothing in the test's network namespace
// reaches GitHub. The credential generators' pods ran their script.
func (c *Cluster) jobRun(ctx context.Context, r resourceClient, u *unstructured.Unstructured) error {
	if u.GetDeletionTimestamp() != nil {
		return nil
	}
	if n, _, _ := unstructured.NestedInt64(u.Object, "status", "succeeded"); n >= 1 {
		return nil
	}
	if u.GetLabels()["app.kubernetes.io/name"] == "gateway-api-crds" {
		if err := installGatewayAPI(ctx, c.Workload); err != nil {
			return err
		}
	}
	return statusOnly(jobSucceeded)(ctx, r, u)
}

func installGatewayAPI(ctx context.Context, k *plane.Kube) error {
	var crds []*unstructured.Unstructured
	for _, c := range gatewayapi.CRDs() {
		crds = append(crds, &unstructured.Unstructured{Object: c.Manifest})
	}
	return plane.InstallCRDs(ctx, k, crds...)
}

func jobSucceeded(u *unstructured.Unstructured) bool {
	if n, _, _ := unstructured.NestedInt64(u.Object, "status", "succeeded"); n >= 1 {
		return false
	}
	now := time.Now().UTC().Format(time.RFC3339)
	_ = unstructured.SetNestedField(u.Object, now, "status", "startTime")
	_ = unstructured.SetNestedField(u.Object, now, "status", "completionTime")
	_ = unstructured.SetNestedField(u.Object, int64(1), "status", "succeeded")
	_ = unstructured.SetNestedSlice(u.Object, []any{
		condition("SuccessCriteriaMet", "CompletionsReached", 0), condition("Complete", "CompletionsReached", 0),
	}, "status", "conditions")
	return true
}

// gatewayProgrammed reports a Gateway Programmed at the current address for
// its current generation: listeners added later are observed too.
func (c *Cluster) gatewayProgrammed(u *unstructured.Unstructured) bool {
	g := u.GetGeneration()
	address := c.gatewayAddress()
	as, _, _ := unstructured.NestedSlice(u.Object, "status", "addresses")
	if p := plane.Condition(u, "Programmed"); p["status"] == "True" && observedAt(p, g) && len(as) == 1 && as[0].(map[string]any)["value"] == address {
		return false
	}
	_ = unstructured.SetNestedSlice(u.Object, []any{map[string]any{"type": "IPAddress", "value": address}}, "status", "addresses")
	_ = unstructured.SetNestedSlice(u.Object, []any{condition("Accepted", "Accepted", g), condition("Programmed", "Programmed", g)}, "status", "conditions")
	return true
}

// routeAccepted reports an HTTPRoute Accepted by every parent it names,
// whatever listener (sectionName) it attaches to, for its current
// generation.
func routeAccepted(u *unstructured.Unstructured) bool {
	g := u.GetGeneration()
	if ps, _, _ := unstructured.NestedSlice(u.Object, "status", "parents"); len(ps) > 0 && parentsObservedAt(ps, g) {
		return false
	}
	refs, _, _ := unstructured.NestedSlice(u.Object, "spec", "parentRefs")
	var parents []any
	for _, ref := range refs {
		parents = append(parents, map[string]any{
			"parentRef":      ref,
			"controllerName": "gateway.nginx.org/nginx-gateway-controller",
			"conditions":     []any{condition("Accepted", "Accepted", g), condition("ResolvedRefs", "ResolvedRefs", g)},
		})
	}
	if len(parents) == 0 {
		return false
	}
	_ = unstructured.SetNestedSlice(u.Object, parents, "status", "parents")
	return true
}

func parentsObservedAt(parents []any, generation int64) bool {
	for _, p := range parents {
		conds, _, _ := unstructured.NestedSlice(p.(map[string]any), "conditions")
		for _, c := range conds {
			if !observedAt(c.(map[string]any), generation) {
				return false
			}
		}
	}
	return true
}

func observedAt(c map[string]any, generation int64) bool {
	return fmt.Sprint(c["observedGeneration"]) == itoa(generation)
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
