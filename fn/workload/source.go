// Package workload delivers Score workloads to the new cluster: it finds
// their specs (inline or in ConfigMaps), converts them with package score,
// generates their credentials on the cluster, and wraps every manifest in a
// provider-kubernetes Object.
package workload

import (
	"fmt"

	"sigs.k8s.io/yaml"

	"github.com/platformcluster/function-platform-cluster/fn/score"
	"github.com/platformcluster/function-platform-cluster/fn/spec"
)

// ConfigMaps holds the data of the ConfigMaps Crossplane found for the
// workloads components.userApps.enabled names, by workload name. A name
// with no entry had no ConfigMap.
type ConfigMaps map[string]map[string]string

// Missing is a referenced workload whose spec could not be read.
type Missing struct {
	Name, Field, Reason string
}

// Collect returns every workload spec: inline ones, then referenced ones
// whose ConfigMaps Crossplane has supplied. A reference not (yet) resolved
// or unreadable is reported, never silently skipped.
func Collect(s *spec.Spec, found ConfigMaps, namespace, key string) ([]score.Workload, []Missing) {
	var ws []score.Workload
	var missing []Missing
	for i, w := range s.Workloads {
		ws = append(ws, score.Workload{Name: w.Name, Source: fmt.Sprintf("spec.workloads[%d].score", i), Spec: w.Score,
			Deploy: DeployOf(w.Deploy(), fmt.Sprintf("spec.workloads[%d]", i))})
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
		data, ok := found[name]
		if !ok {
			missing = append(missing, Missing{Name: name, Field: field, Reason: src + " not found"})
			continue
		}
		raw := data[key]
		if raw == "" {
			missing = append(missing, Missing{Name: name, Field: field, Reason: src + " is missing or empty"})
			continue
		}
		doc := map[string]any{}
		if err := yaml.Unmarshal([]byte(raw), &doc); err != nil {
			missing = append(missing, Missing{Name: name, Field: field, Reason: src + " is not valid YAML: " + err.Error()})
			continue
		}
		ws = append(ws, score.Workload{Name: name, Source: src, Spec: doc,
			Deploy: DeployOf(s.Components.UserApps.Deploy[name], "spec.components.userApps.deploy["+name+"]")})
	}
	return ws, missing
}

// DeployOf turns deploy-time values given at field into score's terms.
func DeployOf(d spec.Deploy, field string) score.Deploy {
	out := score.Deploy{Field: field, Image: d.Image, Environment: Environment(d.Environment)}
	if len(d.Containers) > 0 {
		out.Containers = make(map[string]string, len(d.Containers))
		for name, c := range d.Containers {
			out.Containers[name] = c.Image
		}
	}
	return out
}

// Environment maps environment values, as the claim and the function Input
// give them, onto score's.
func Environment(env map[string]spec.EnvValue) map[string]score.EnvValue {
	if len(env) == 0 {
		return nil
	}
	out := make(map[string]score.EnvValue, len(env))
	for k, v := range env {
		ev := score.EnvValue{Value: v.Value}
		if v.SecretKeyRef != nil {
			ev.SecretName, ev.SecretKey = v.SecretKeyRef.Name, v.SecretKeyRef.Key
		}
		out[k] = ev
	}
	return out
}
