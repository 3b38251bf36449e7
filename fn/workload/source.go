// Package workload delivers Score workloads to the new cluster: it finds
// their specs (inline or in ConfigMaps), converts them with package score,
// generates their credentials on the cluster, and wraps every manifest in a
// provider-kubernetes Object.
package workload

import (
	"fmt"

	"sigs.k8s.io/yaml"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/request"
	"github.com/crossplane/function-sdk-go/resource"

	"github.com/platformcluster/function-platform-cluster/fn/score"
	"github.com/platformcluster/function-platform-cluster/fn/spec"
)

// RequirementKey is the required-resource key of a referenced workload.
func RequirementKey(name string) string { return "score-" + name }

// Requirements asks Crossplane for the ConfigMap of every workload
// components.userApps.enabled names.
func Requirements(names []string, namespace string) map[string]*fnv1.ResourceSelector {
	out := make(map[string]*fnv1.ResourceSelector, len(names))
	for _, n := range names {
		ns := namespace
		out[RequirementKey(n)] = &fnv1.ResourceSelector{
			ApiVersion: "v1",
			Kind:       "ConfigMap",
			Match:      &fnv1.ResourceSelector_MatchName{MatchName: n},
			Namespace:  &ns,
		}
	}
	return out
}

// Missing is a referenced workload whose spec could not be read.
type Missing struct {
	Name, Field, Reason string
}

// Collect returns every workload spec: inline ones, then referenced ones
// whose ConfigMaps Crossplane has supplied. A reference not (yet) resolved
// or unreadable is reported, never silently skipped.
func Collect(s *spec.Spec, req *fnv1.RunFunctionRequest, namespace, key string) ([]score.Workload, []Missing) {
	var ws []score.Workload
	var missing []Missing
	for i, w := range s.Workloads {
		ws = append(ws, score.Workload{Name: w.Name, Source: fmt.Sprintf("spec.workloads[%d].score", i), Spec: w.Score})
	}
	if s.Components.UserApps == nil {
		return ws, nil
	}
	for i, name := range s.Components.UserApps.Enabled {
		field := fmt.Sprintf("spec.components.userApps.enabled[%d]", i)
		if namespace == "" {
			missing = append(missing, Missing{Name: name, Field: field,
				Reason: "the XR has no claim namespace to look up its ConfigMap in; set workloads.namespace in the function Input"})
			continue
		}
		src := fmt.Sprintf("ConfigMap %s/%s key %s", namespace, name, key)
		items := required(req, RequirementKey(name))
		if len(items) == 0 {
			missing = append(missing, Missing{Name: name, Field: field, Reason: src + " not found"})
			continue
		}
		data, _ := items[0].Resource.Object["data"].(map[string]any)
		raw, _ := data[key].(string)
		if raw == "" {
			missing = append(missing, Missing{Name: name, Field: field, Reason: src + " is missing or empty"})
			continue
		}
		doc := map[string]any{}
		if err := yaml.Unmarshal([]byte(raw), &doc); err != nil {
			missing = append(missing, Missing{Name: name, Field: field, Reason: src + " is not valid YAML: " + err.Error()})
			continue
		}
		ws = append(ws, score.Workload{Name: name, Source: src, Spec: doc})
	}
	return ws, missing
}

// required reads a required resource from the current field, or from the
// deprecated extra resources field older Crossplane versions fill.
func required(req *fnv1.RunFunctionRequest, key string) []resource.Required {
	if rs, ok, err := request.GetRequiredResource(req, key); ok && err == nil {
		return rs
	}
	extra, err := request.GetExtraResources(req)
	if err != nil {
		return nil
	}
	return extra[key]
}
