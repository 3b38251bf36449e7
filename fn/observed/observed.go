// Package observed reads what Crossplane observed of the composed resources:
// whether each exists, is ready, and what connection details it published.
// It reads the request's protobuf Structs in place: converting every
// observed resource to a map, as the SDK's helper does, was a quarter of the
// cost of a call for a large claim, and only a few fields are ever read.
package observed

import (
	"fmt"

	"google.golang.org/protobuf/types/known/structpb"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
)

// State is the observed composed resources of one XR, by composition
// resource name.
type State map[string]*fnv1.Resource

// Exists reports whether the resource was observed.
func (s State) Exists(key string) bool {
	_, ok := s[key]
	return ok
}

// Ready reports whether the resource exists and its Ready condition is True.
func (s State) Ready(key string) bool {
	return condition(s[key], "Ready")["status"] == "True"
}

// Message returns the reason and message of the resource's Synced or Ready
// condition when either is not True, for status messages.
func (s State) Message(key string) string {
	r, ok := s[key]
	if !ok {
		return "not created yet"
	}
	for _, t := range []string{"Synced", "Ready"} {
		c := condition(r, t)
		if c == nil || c["status"] == "True" {
			continue
		}
		return fmt.Sprintf("%s=%s: %s %s", t, c["status"], c["reason"], c["message"])
	}
	if condition(r, "Ready") == nil {
		return "waiting for the provider to report Ready"
	}
	return ""
}

// RemoteMessage returns "reason: message" of the condition of type typ on
// the manifest an Object wraps, as provider-kubernetes last observed it on
// the new cluster, or "" when there is none.
func (s State) RemoteMessage(key, typ string) string {
	c := condition(s[key], typ, "status", "atProvider", "manifest")
	if c == nil || c["message"] == "" {
		return ""
	}
	return c["reason"] + ": " + c["message"]
}

// RemoteStatus returns the status ("True", "False", "Unknown") of the
// condition of type typ on the manifest an Object wraps, as
// provider-kubernetes last observed it, or "" when there is none.
func (s State) RemoteStatus(key, typ string) string {
	return condition(s[key], typ, "status", "atProvider", "manifest")["status"]
}

// ConnectionDetail returns one observed connection detail.
func (s State) ConnectionDetail(key, detail string) ([]byte, bool) {
	v, ok := s[key].GetConnectionDetails()[detail]
	return v, ok && len(v) > 0
}

// String returns the string at a path such as "status", "atProvider", "id",
// or "" when there is none or it is not a string.
func (s State) String(key string, path ...string) string {
	return value(s[key], path...).GetStringValue()
}

// List returns the list at a path, or nil.
func (s State) List(key string, path ...string) []*structpb.Value {
	return value(s[key], path...).GetListValue().GetValues()
}

func value(r *fnv1.Resource, path ...string) *structpb.Value {
	v := structpb.NewStructValue(r.GetResource())
	for _, p := range path {
		v = v.GetStructValue().GetFields()[p]
	}
	return v
}

// condition returns the string fields of the condition of type typ. Getters
// on nil protobuf messages return zero values, so a malformed status (a
// provider can write anything) reads as no condition rather than panicking.
func condition(r *fnv1.Resource, typ string, at ...string) map[string]string {
	for _, c := range value(r, append(at, "status", "conditions")...).GetListValue().GetValues() {
		f := c.GetStructValue().GetFields()
		if f["type"].GetStringValue() != typ {
			continue
		}
		out := map[string]string{}
		for k, v := range f {
			out[k] = v.GetStringValue()
		}
		return out
	}
	return nil
}

// Carry returns, by key, the observed resources keep accepts, reduced to
// what a desired resource holds: apiVersion, kind, name, labels and spec.
// Composing them again unchanged keeps something delivered earlier when its
// source is unreadable now, rather than deleting it. keep reads the
// resource in place; only those it accepts are converted.
func (s State) Carry(keep func(key string, r *structpb.Struct) bool) map[string]map[string]any {
	out := map[string]map[string]any{}
	for key, r := range s {
		if r.GetResource() == nil || !keep(key, r.GetResource()) {
			continue
		}
		o := r.GetResource().AsMap()
		md, _ := o["metadata"].(map[string]any)
		kept := map[string]any{"name": md["name"]}
		if l, ok := md["labels"]; ok {
			kept["labels"] = l
		}
		d := map[string]any{"apiVersion": o["apiVersion"], "kind": o["kind"], "metadata": kept}
		if sp, ok := o["spec"]; ok {
			d["spec"] = sp
		}
		out[key] = d
	}
	return out
}
