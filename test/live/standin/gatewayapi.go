package standin

import (
	"context"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/platformcluster/function-platform-cluster/fn/gatewayapi"
	"github.com/platformcluster/function-platform-cluster/test/live/plane"
)

// GatewayAPIRan is the annotation GatewayAPIInstaller puts on the
// installer's pod once its containers' work is done. kwok completes that
// pod only then (the pod-complete stage of plane/kwok/stages.yaml), so its
// Job is Complete only once every CRD is Established, as with the real pod.
const GatewayAPIRan = "live.fpc.dev/containers-ran"

// gatewayAPIInstallerName is the app.kubernetes.io/name label of the Gateway
// API CRDs' installer Job and its pod (fn/addons/crds.go).
const gatewayAPIInstallerName = "gateway-api-crds"

var podKind = gvk("", "v1", "Pod")

// GatewayAPIInstaller plays the containers of the pod of the Job that
// installs the Gateway API CRDs (fn/addons/crds.go), whose kubectl kwok
// does not run: it applies the function's own copies of those CRDs
// (fn/gatewayapi/crds), since nothing in the test's network namespace
// reaches GitHub, waits until each is Established, and marks the pod done.
// Kubernetes' Job controller and kwok do the rest.
type GatewayAPIInstaller struct {
	Workload *plane.Kube
}

// Run reconciles until ctx ends.
func (g *GatewayAPIInstaller) Run(ctx context.Context, logf Logf) {
	run(ctx, logf, time.Second, reconcile{kube: g.Workload, gvk: podKind, fn: g.pod})
}

func (g *GatewayAPIInstaller) pod(ctx context.Context, r resourceClient, u *unstructured.Unstructured) error {
	if u.GetLabels()["app.kubernetes.io/name"] != gatewayAPIInstallerName || u.GetDeletionTimestamp() != nil || u.GetAnnotations()[GatewayAPIRan] == "true" {
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
	a := u.GetAnnotations()
	if a == nil {
		a = map[string]string{}
	}
	a[GatewayAPIRan] = "true"
	u.SetAnnotations(a)
	_, err := r.Update(ctx, u, metav1.UpdateOptions{})
	return err
}
