package compose

import "strings"

// Label keys the function puts on every composed resource.
const (
	LabelCluster   = "platform.fpc.dev/cluster"
	LabelComponent = "platform.fpc.dev/component"
)

// ArgoCDInstanceLabel is the label Argo CD's default label tracking puts on
// what it syncs.
const ArgoCDInstanceLabel = "app.kubernetes.io/instance"

// InheritedLabels returns the XR labels composed resources carry. Argo CD's
// tracking label must not be copied: Argo CD would then treat every composed
// resource as part of the Application, show it as an orphan of the claim and
// prune it. Crossplane's own labels are set by Crossplane itself.
func InheritedLabels(xr map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range xr {
		if skipLabel(k) {
			continue
		}
		out[k] = v
	}
	return out
}

func skipLabel(k string) bool {
	return k == ArgoCDInstanceLabel ||
		strings.HasPrefix(k, "argocd.argoproj.io/") ||
		strings.HasPrefix(k, "crossplane.io/") ||
		strings.Contains(k, ".crossplane.io/")
}

// Annotate sets one annotation on obj.
func Annotate(obj map[string]any, key, value string) {
	metadataMap(obj, "annotations")[key] = value
}

// metadataMap returns obj's metadata.<field> map, creating what is missing.
func metadataMap(obj map[string]any, field string) map[string]any {
	md, _ := obj["metadata"].(map[string]any)
	if md == nil {
		md = map[string]any{}
		obj["metadata"] = md
	}
	m, _ := md[field].(map[string]any)
	if m == nil {
		m = map[string]any{}
		md[field] = m
	}
	return m
}
