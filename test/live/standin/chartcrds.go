package standin

import (
	"context"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/platformcluster/function-platform-cluster/test/live/plane"
)

// crdStub names one CRD a chart brings. The stand-in installs only its
// names and scope with an open schema: enough for provider-kubernetes to
// apply the function's objects of that kind and for the other stand-ins to
// write their status, not a check of those objects' fields.
type crdStub struct {
	group, version, kind, plural string
	namespaced                   bool
}

// chartCRDs are the CRDs a release of each chart installs, by chart name,
// for the kinds the function composes as Objects: cert-manager's with
// crds.enabled, NGINX Gateway Fabric's from its crds/ folder. Neither is
// removed when the release goes, as Helm keeps crds/ and cert-manager's
// chart marks its CRDs helm.sh/resource-policy: keep by default.
var chartCRDs = map[string][]crdStub{
	"cert-manager": {
		{group: "cert-manager.io", version: "v1", kind: "Certificate", plural: "certificates", namespaced: true},
		{group: "cert-manager.io", version: "v1", kind: "ClusterIssuer", plural: "clusterissuers"},
	},
	"nginx-gateway-fabric": {
		{group: "gateway.nginx.org", version: "v1alpha1", kind: "ClientSettingsPolicy", plural: "clientsettingspolicies", namespaced: true},
	},
}

// installChartCRDs installs the CRDs of a release's chart on the workload
// cluster, once: those already there are left as they are.
func installChartCRDs(ctx context.Context, k *plane.Kube, chart string) error {
	var missing []*unstructured.Unstructured
	for _, s := range chartCRDs[chart] {
		crd := s.object()
		if _, err := k.Get(ctx, crd.GroupVersionKind(), "", crd.GetName()); apierrors.IsNotFound(err) {
			missing = append(missing, crd)
		} else if err != nil {
			return err
		}
	}
	if len(missing) == 0 {
		return nil
	}
	return plane.InstallCRDs(ctx, k, missing...)
}

func (s crdStub) object() *unstructured.Unstructured {
	scope := "Cluster"
	if s.namespaced {
		scope = "Namespaced"
	}
	return &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "apiextensions.k8s.io/v1",
		"kind":       "CustomResourceDefinition",
		"metadata":   map[string]any{"name": s.plural + "." + s.group},
		"spec": map[string]any{
			"group": s.group,
			"scope": scope,
			"names": map[string]any{
				"kind": s.kind, "listKind": s.kind + "List", "plural": s.plural, "singular": strings.ToLower(s.kind),
			},
			"versions": []any{map[string]any{
				"name": s.version, "served": true, "storage": true,
				"subresources": map[string]any{"status": map[string]any{}},
				"schema": map[string]any{"openAPIV3Schema": map[string]any{
					"type": "object", "x-kubernetes-preserve-unknown-fields": true,
				}},
			}},
		},
	}}
}
