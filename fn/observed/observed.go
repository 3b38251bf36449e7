// Package observed reads what Crossplane observed of the composed resources:
// whether each exists, is ready, and what connection details it published.
package observed

import (
	"fmt"

	"github.com/crossplane/function-sdk-go/resource"
)

// State is the observed composed resources of one XR, by composition
// resource name.
type State map[resource.Name]resource.ObservedComposed

// Exists reports whether the resource was observed.
func (s State) Exists(key string) bool {
	_, ok := s[resource.Name(key)]
	return ok
}

// Ready reports whether the resource exists and its Ready condition is True.
func (s State) Ready(key string) bool {
	oc, ok := s[resource.Name(key)]
	if !ok || oc.Resource == nil {
		return false
	}
	return condition(oc.Resource.Object, "Ready") == "True"
}

// Message returns the reason and message of the resource's Ready or Synced
// condition when either is not True, for status messages.
func (s State) Message(key string) string {
	oc, ok := s[resource.Name(key)]
	if !ok || oc.Resource == nil {
		return "not created yet"
	}
	for _, t := range []string{"Synced", "Ready"} {
		c := findCondition(oc.Resource.Object, t)
		if c == nil || c["status"] == "True" {
			continue
		}
		return fmt.Sprintf("%s=%v: %v %v", t, c["status"], c["reason"], c["message"])
	}
	if c := findCondition(oc.Resource.Object, "Ready"); c == nil {
		return "waiting for the provider to report Ready"
	}
	return ""
}

// ConnectionDetail returns one observed connection detail.
func (s State) ConnectionDetail(key, detail string) ([]byte, bool) {
	oc, ok := s[resource.Name(key)]
	if !ok {
		return nil, false
	}
	v, ok := oc.ConnectionDetails[detail]
	return v, ok && len(v) > 0
}

// Value returns a value at a path such as "status.atProvider.id", or nil.
func (s State) Value(key string, path ...string) any {
	oc, ok := s[resource.Name(key)]
	if !ok || oc.Resource == nil {
		return nil
	}
	var cur any = oc.Resource.Object
	for _, p := range path {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[p]
	}
	return cur
}

func condition(obj map[string]any, typ string) any {
	if c := findCondition(obj, typ); c != nil {
		return c["status"]
	}
	return nil
}

// findCondition tolerates malformed status: observed state is whatever a
// provider wrote, and reading it must never panic.
func findCondition(obj map[string]any, typ string) map[string]any {
	st, _ := obj["status"].(map[string]any)
	conds, _ := st["conditions"].([]any)
	for _, c := range conds {
		m, _ := c.(map[string]any)
		if m != nil && m["type"] == typ {
			return m
		}
	}
	return nil
}
