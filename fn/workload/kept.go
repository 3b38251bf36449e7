package workload

import (
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/platformcluster/function-platform-cluster/fn/compose"
	"github.com/platformcluster/function-platform-cluster/fn/observed"
)

// Kept returns, by key, what was last delivered for the workload: its
// Objects and the ClusterUsages that protect them, reduced to what a
// desired resource holds.
//
// An Object is the workload's only when its key is exactly the key Deliver
// gives its manifest (objectKey) and its component label is the workload's
// name. A key prefix is ambiguous: "wl-shop-" also starts every key of a
// workload named "shop-x". The label alone is too: add-ons label their
// Objects with their own names ("gateway"), which a workload may share.
// A usage is the workload's when it protects one of those Objects by name.
func Kept(obs observed.State, name string) map[string]map[string]any {
	return KeptIn(obs, name, name)
}

// KeptIn is Kept for a workload delivered into the namespace home rather
// than its own (score.Options.Namespace).
func KeptIn(obs observed.State, name, home string) map[string]map[string]any {
	objs := obs.Carry(func(key string, r *structpb.Struct) bool { return owns(name, home, key, r) })
	if len(objs) == 0 {
		return nil
	}
	names := map[string]bool{}
	for _, o := range objs {
		names[compose.Identify(o).Name] = true
	}
	usages := obs.Carry(func(_ string, r *structpb.Struct) bool {
		return str(r, "kind") == "ClusterUsage" && names[str(r, "spec", "by", "resourceRef", "name")]
	})
	for k, u := range usages {
		objs[k] = u
	}
	return objs
}

// owns reports whether the observed resource r at key is an Object Deliver
// composed for the workload.
func owns(name, home, key string, r *structpb.Struct) bool {
	if str(r, "kind") != "Object" || str(r, "metadata", "labels", compose.LabelComponent) != name {
		return false
	}
	m := r.GetFields()["spec"].GetStructValue().GetFields()["forProvider"].GetStructValue().GetFields()["manifest"].GetStructValue()
	id := compose.Identity{Kind: str(m, "kind"), Namespace: str(m, "metadata", "namespace"), Name: str(m, "metadata", "name")}
	return id.Kind != "" && key == objectKey(deliveryPrefix(name), home, id)
}

// str reads the string at path in s; anything missing or not a string
// reads as "".
func str(s *structpb.Struct, path ...string) string {
	for _, p := range path[:len(path)-1] {
		s = s.GetFields()[p].GetStructValue()
	}
	return s.GetFields()[path[len(path)-1]].GetStringValue()
}
