package teardown

import (
	"github.com/platformcluster/function-platform-cluster/fn/compose"
	"github.com/platformcluster/function-platform-cluster/fn/object"
)

// Component labels everything this package composes.
const Component = "teardown"

// Management policies of the guards (crossplane-runtime's supported
// combinations). An Object whose policies include Delete deletes its object
// when it is deleted and keeps its finalizer until the object is gone from
// the new cluster (provider-kubernetes' Observe reports NotFound), so a
// guard outlives what it guards. Without Delete, deleting the Object leaves
// the object alone.
var (
	// observeDelete never creates or changes the object; it only deletes
	// it, and waits, when the guard goes.
	observeDelete = []any{"Observe", "Delete"}
	// observeOnly tolerates an object that is not there yet: unlike the
	// plain Observe policy, for which a missing object is an error.
	// provider-kubernetes never late-initializes an Object.
	observeOnly = []any{"Observe", "LateInitialize"}
	// managePV sets the reclaim policy of a volume that exists (it cannot
	// create one: a PersistentVolume without capacity is invalid); with
	// Delete it also deletes the volume and waits. Observe, Update and
	// Delete alone is not a supported combination.
	managePV     = []any{"Observe", "Create", "Update", "Delete"}
	managePVKeep = []any{"Observe", "Create", "Update"}
)

// PVCKey is the composition resource name of a volume's claim guard.
func PVCKey(v Volume) string { return "teardown-pvc-" + v.Namespace + "." + v.Name }

// PVKey is the composition resource name of a volume's PersistentVolume
// guard.
func PVKey(v Volume) string { return "teardown-pv-" + v.PV }

// PVCGuard deletes a volume's claim when the claim is deleted, unless the
// claim keeps its volumes. Deleting the claim releases the volume; the
// PersistentVolume guard then sees it deleted.
func PVCGuard(o compose.Owner, v Volume, keep bool) compose.Resource {
	m := map[string]any{
		"apiVersion": "v1",
		"kind":       "PersistentVolumeClaim",
		"metadata":   map[string]any{"name": v.Name, "namespace": v.Namespace},
	}
	policies := observeDelete
	if keep {
		policies = observeOnly
	}
	return guard(o, PVCKey(v), "pvc-"+v.Namespace+"."+v.Name, m, policies)
}

// PVGuard keeps a bound volume's reclaim policy what the claim asks for:
// Delete, so the CSI driver deletes the Linode volume once its claim is
// deleted, or Retain, so it stays. The policy is the volume's, not its
// StorageClass's, so it can change either way on day 2, and it covers
// volumes of any class. With Delete, the guard's deletion waits until the
// PersistentVolume, and so the Linode volume, is gone.
func PVGuard(o compose.Owner, v Volume, keep bool) compose.Resource {
	reclaim, policies := "Delete", managePV
	if keep {
		reclaim, policies = "Retain", managePVKeep
	}
	m := map[string]any{
		"apiVersion": "v1",
		"kind":       "PersistentVolume",
		"metadata":   map[string]any{"name": v.PV},
		"spec":       map[string]any{"persistentVolumeReclaimPolicy": reclaim},
	}
	return guard(o, PVKey(v), "pv-"+v.PV, m, policies)
}

func guard(o compose.Owner, key, name string, manifest map[string]any, policies []any) compose.Resource {
	r := object.Wrap(o, key, name, manifest, "", Component)
	r.Object["spec"].(map[string]any)["managementPolicies"] = policies
	return r
}
