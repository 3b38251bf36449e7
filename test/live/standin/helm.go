package standin

import (
	"context"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/platformcluster/function-platform-cluster/test/live/plane"
)

// Helm stands in for provider-helm: a Release becomes deployed and ready at
// once. No chart is pulled or installed; like Helm's --create-namespace, the
// release's namespace is created on the workload cluster, because Objects
// the function composes (the default Gateway) live there, and so are
// stand-ins of the CRDs its chart brings (chartCRDs), for the Objects of
// those kinds.
type Helm struct {
	Mgmt, Workload *plane.Kube
	// Clusters, when set, gives some claims' Releases another cluster.
	Clusters *Clusters
}

// Run reconciles until ctx ends.
func (h *Helm) Run(ctx context.Context, logf Logf) {
	run(ctx, logf, time.Second,
		reconcile{kube: h.Mgmt, gvk: gvk("helm.crossplane.io", "v1beta1", "Release"), fn: managed(h.install, nil)},
	)
}

func (h *Helm) install(u *unstructured.Unstructured) (map[string]any, error) {
	ctx := context.Background()
	workload := h.Workload
	if w, ok := h.Clusters.of(u); ok {
		workload = w.Kube
	}
	ns, _, _ := unstructured.NestedString(u.Object, "spec", "forProvider", "namespace")
	if ns != "" {
		n := &unstructured.Unstructured{Object: map[string]any{"apiVersion": "v1", "kind": "Namespace", "metadata": map[string]any{"name": ns}}}
		if err := workload.Apply(ctx, n); err != nil {
			return nil, err
		}
	}
	chart, _, _ := unstructured.NestedString(u.Object, "spec", "forProvider", "chart", "name")
	if err := installChartCRDs(ctx, workload, chart); err != nil {
		return nil, err
	}
	return map[string]any{"state": "deployed", "revision": int64(1), "releaseDescription": "Install complete"}, nil
}
