// Package addons builds the Helm releases installed on the new cluster and
// the default Gateway that workloads route through.
package addons

import (
	"github.com/platformcluster/function-platform-cluster/fn/charts"
	"github.com/platformcluster/function-platform-cluster/fn/compose"
	"github.com/platformcluster/function-platform-cluster/fn/providerconfig"
)

// ReleaseKey is the composition resource name of an add-on's Release.
func ReleaseKey(addon string) string { return "release-" + addon }

// Release builds the provider-helm Release of an add-on. The Helm release is
// named after the add-on through the external-name annotation: the
// Release's own name carries the XR name, which would break Helm's
// 53-character release name limit and make in-cluster names unreadable.
func Release(o compose.Owner, addon string, c charts.Chart, values map[string]any) compose.Resource {
	fp := map[string]any{
		"chart": map[string]any{
			"repository": c.Repository,
			"name":       c.Name,
			"version":    c.Version,
		},
		"namespace": c.Namespace,
		// Wait so that Ready means the chart's workloads are up: later
		// stages (the Gateway after the gateway controller) rely on it.
		"wait":        true,
		"waitTimeout": "10m",
	}
	if v := charts.Merge(values, c.Values); len(v) > 0 {
		fp["values"] = v
	}
	obj := compose.Object("helm.crossplane.io/v1beta1", "Release", o.Name(addon))
	compose.Annotate(obj, "crossplane.io/external-name", addon)
	obj["spec"] = map[string]any{
		"forProvider":       fp,
		"providerConfigRef": map[string]any{"name": providerconfig.Name(o.XR)},
		"rollbackLimit":     int64(3),
	}
	o.Label(obj, addon)
	return compose.Resource{Key: ReleaseKey(addon), Object: obj}
}

// fromSecret has provider-helm set a values path from a key of a Secret on
// the control plane (spec.forProvider.set[].valueFrom.secretKeyRef), so the
// value is never in the Release.
func fromSecret(r compose.Resource, path, name, namespace, key string) {
	fp := r.Object["spec"].(map[string]any)["forProvider"].(map[string]any)
	sets, _ := fp["set"].([]any)
	fp["set"] = append(sets, map[string]any{
		"name": path,
		"valueFrom": map[string]any{"secretKeyRef": map[string]any{
			"name": name, "namespace": namespace, "key": key,
		}},
	})
}
