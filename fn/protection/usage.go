// Package protection builds the ClusterUsages that order deletion: whatever
// runs on the new cluster is deleted before the cluster itself.
package protection

import (
	"github.com/platformcluster/function-platform-cluster/fn/compose"
)

// Ref names a composed resource by its identity on the control plane.
type Ref struct {
	Key, APIVersion, Kind, Name string
}

// RefOf returns the Ref of a composed resource.
func RefOf(r compose.Resource) Ref {
	id := compose.Identify(r.Object)
	return Ref{Key: r.Key, APIVersion: id.APIVersion, Kind: id.Kind, Name: id.Name}
}

// Key is the composition resource name of the usage of of by by.
func Key(of, by Ref) string { return "usage-" + by.Key + "-" + of.Key }

// Usage builds a ClusterUsage that blocks deleting of while by exists.
// Without it, deleting a claim could remove the LKE cluster first, leaving
// provider-helm and provider-kubernetes unable to reach it to uninstall, and
// the Releases and Objects stuck with their finalizers forever.
// replayDeletion re-issues the blocked deletion as soon as by is gone, so
// teardown does not wait for the next periodic reconcile.
func Usage(o compose.Owner, of, by Ref) compose.Resource {
	obj := compose.Object("protection.crossplane.io/v1beta1", "ClusterUsage", o.Name("uses-"+by.Key+"-"+of.Key))
	obj["spec"] = map[string]any{
		"of":             ref(of),
		"by":             ref(by),
		"replayDeletion": true,
	}
	o.Label(obj, "protection")
	return compose.Resource{Key: Key(of, by), Object: obj}
}

func ref(r Ref) map[string]any {
	return map[string]any{
		"apiVersion":  r.APIVersion,
		"kind":        r.Kind,
		"resourceRef": map[string]any{"name": r.Name},
	}
}
