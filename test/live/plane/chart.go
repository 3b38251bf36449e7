package plane

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"helm.sh/helm/v4/pkg/chart/common"
	"helm.sh/helm/v4/pkg/chart/common/util"
	"helm.sh/helm/v4/pkg/chart/v2/loader"
	"helm.sh/helm/v4/pkg/engine"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// rbacKinds are the kinds of a chart's objects that say who may do what.
var rbacKinds = []string{"ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"}

// ChartRBAC renders Crossplane's Helm chart (chartDir is the crossplane
// module's cluster/charts/crossplane at the release the plane runs) with
// its default values, as `helm install crossplane --namespace <namespace>`
// would, with Helm's own engine, and returns its ServiceAccounts, roles and
// bindings. The rest (Deployments, Services) is what the plane runs itself.
func ChartRBAC(chartDir, namespace string) ([]*unstructured.Unstructured, error) {
	ch, err := loader.LoadDir(chartDir)
	if err != nil {
		return nil, fmt.Errorf("crossplane chart: %w", err)
	}
	opts := common.ReleaseOptions{Name: "crossplane", Namespace: namespace, Revision: 1, IsInstall: true}
	top, err := util.ToRenderValuesWithSchemaValidation(ch, map[string]any{}, opts, common.DefaultCapabilities, false)
	if err != nil {
		return nil, fmt.Errorf("crossplane chart values: %w", err)
	}
	files, err := engine.Render(ch, top)
	if err != nil {
		return nil, fmt.Errorf("crossplane chart: %w", err)
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	var out []*unstructured.Unstructured
	for _, n := range names {
		if !strings.HasSuffix(n, ".yaml") {
			continue // NOTES.txt
		}
		objs, err := DecodeObjects([]byte(files[n]))
		if err != nil {
			return nil, fmt.Errorf("crossplane chart, %s: %w", n, err)
		}
		for _, o := range objs {
			if slices.Contains(rbacKinds, o.GetKind()) {
				o.SetNamespace(namespaceOf(o, namespace))
				out = append(out, o)
			}
		}
	}
	return out, nil
}

// namespaceOf is the namespace helm install puts a namespaced object in
// when its template names none.
func namespaceOf(o *unstructured.Unstructured, release string) string {
	switch {
	case strings.HasPrefix(o.GetKind(), "Cluster"):
		return ""
	case o.GetNamespace() != "":
		return o.GetNamespace()
	}
	return release
}
