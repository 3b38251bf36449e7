package standin

import (
	"context"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/platformcluster/function-platform-cluster/fn/gatewayapi"
	"github.com/platformcluster/function-platform-cluster/test/live/plane"
)

// gatewayAPIInstallerName is the app.kubernetes.io/name label of the Gateway
// API CRDs' installer Job and its pod (fn/addons/crds.go). kwok leaves that
// pod Running (plane/kwok/stages.yaml); GatewayAPIInstaller completes it.
const gatewayAPIInstallerName = "gateway-api-crds"

var podKind = gvk("", "v1", "Pod")

// GatewayAPIInstaller plays the containers of the pod of the Job that
// installs the Gateway API CRDs (fn/addons/crds.go), whose kubectl kwok
// does not run: it applies the function's own copies of those CRDs
// (fn/gatewayapi/crds), since nothing in the test's network namespace
// reaches GitHub, waits until each is Established, and only then reports
// the pod's containers exited 0, as the kubelet would. Kubernetes' Job
// controller then completes the Job, so the Job is Complete only once
// every CRD is Established, as with the real pod.
type GatewayAPIInstaller struct {
	Workload *plane.Kube
}

// Run reconciles until ctx ends.
func (g *GatewayAPIInstaller) Run(ctx context.Context, logf Logf) {
	run(ctx, logf, time.Second, reconcile{kube: g.Workload, gvk: podKind, fn: g.pod})
}

func (g *GatewayAPIInstaller) pod(ctx context.Context, r resourceClient, u *unstructured.Unstructured) error {
	if u.GetLabels()["app.kubernetes.io/name"] != gatewayAPIInstallerName || u.GetDeletionTimestamp() != nil {
		return nil
	}
	if phase, _, _ := unstructured.NestedString(u.Object, "status", "phase"); phase != "Running" {
		return nil
	}
	var crds []*unstructured.Unstructured
	for _, c := range gatewayapi.CRDs() {
		crds = append(crds, &unstructured.Unstructured{Object: c.Manifest})
	}
	if err := plane.InstallCRDs(ctx, g.Workload, crds...); err != nil {
		return err
	}
	podSucceeded(u, time.Now())
	_, err := r.UpdateStatus(ctx, u, metav1.UpdateOptions{})
	return err
}

// podSucceeded sets what the kubelet reports for a pod whose containers
// all exited 0 (kwok's own pod-complete stage writes the same).
func podSucceeded(u *unstructured.Unstructured, now time.Time) {
	at := now.UTC().Format(time.RFC3339)
	containers, _, _ := unstructured.NestedSlice(u.Object, "spec", "containers")
	var statuses []any
	for _, c := range containers {
		cm, _ := c.(map[string]any)
		statuses = append(statuses, map[string]any{
			"name": cm["name"], "image": cm["image"], "ready": false, "restartCount": int64(0), "started": false,
			"state": map[string]any{"terminated": map[string]any{"exitCode": int64(0), "reason": "Completed", "startedAt": at, "finishedAt": at}},
		})
	}
	_ = unstructured.SetNestedSlice(u.Object, statuses, "status", "containerStatuses")
	_ = unstructured.SetNestedField(u.Object, "Succeeded", "status", "phase")
}
