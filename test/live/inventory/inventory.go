// Package inventory compares what Crossplane composed for an XR at two
// moments: nothing kept may be deleted, being deleted or recreated, and no
// composed resource may be composed twice. It also judges the order in which
// things were deleted. It holds no client: the live suite lists, this
// package judges, so its judgements are tested without a control plane.
package inventory

import (
	"fmt"
	"sort"
	"strconv"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// AnnotationResourceName is the annotation in which Crossplane records which
// resource of the function's desired state a composed resource is.
const AnnotationResourceName = "crossplane.io/composition-resource-name"

// Keys names composed resources Kind/name, or Kind.group/name for a Kind
// that more than one composed group uses (the helm, kubernetes and linode
// ProviderConfigs), so that no two kinds share a key.
type Keys struct{ ambiguous map[string]bool }

// NewKeys knows which of kinds share a Kind.
func NewKeys(kinds []schema.GroupVersionKind) Keys {
	groups := map[string]map[string]bool{}
	for _, k := range kinds {
		if groups[k.Kind] == nil {
			groups[k.Kind] = map[string]bool{}
		}
		groups[k.Kind][k.Group] = true
	}
	k := Keys{ambiguous: map[string]bool{}}
	for kind, gs := range groups {
		k.ambiguous[kind] = len(gs) > 1
	}
	return k
}

// Of is the key of a resource of gvk named name.
func (k Keys) Of(gvk schema.GroupVersionKind, name string) string {
	if k.ambiguous[gvk.Kind] {
		return gvk.Kind + "." + gvk.Group + "/" + name
	}
	return gvk.Kind + "/" + name
}

// Item is one composed resource as the API server held it.
type Item struct {
	UID string
	// ResourceName is its composition-resource-name: which desired resource
	// of the function it is.
	ResourceName string
	// Deleting is true once its deletionTimestamp is set: it is going, even
	// if a finalizer still holds it.
	Deleting bool
}

// Snapshot is every composed resource of an XR, by key.
type Snapshot map[string]Item

// Take records objects by their key.
func (k Keys) Take(objs map[string]*unstructured.Unstructured) Snapshot {
	s := Snapshot{}
	for key, o := range objs {
		s[key] = Item{
			UID:          string(o.GetUID()),
			ResourceName: o.GetAnnotations()[AnnotationResourceName],
			Deleting:     o.GetDeletionTimestamp() != nil,
		}
	}
	return s
}

// Kept lists, for every resource of before, why it does not stand in after
// as the same object: gone, being deleted, or recreated under a new UID.
func Kept(before, after Snapshot) []string {
	var out []string
	for _, key := range sorted(before) {
		b, a := before[key], after[key]
		switch {
		case a.UID == "":
			out = append(out, key+" was deleted")
		case a.Deleting:
			out = append(out, key+" is being deleted")
		case a.UID != b.UID:
			out = append(out, fmt.Sprintf("%s was recreated (UID %s, was %s)", key, a.UID, b.UID))
		}
	}
	return out
}

// Duplicates lists composition-resource-names that more than one composed
// resource carries: one desired resource composed twice.
func Duplicates(s Snapshot) []string {
	by := map[string][]string{}
	for _, key := range sorted(s) {
		if n := s[key].ResourceName; n != "" {
			by[n] = append(by[n], key)
		}
	}
	var out []string
	for _, n := range sorted(by) {
		if len(by[n]) > 1 {
			out = append(out, fmt.Sprintf("%s is composed %d times: %v", n, len(by[n]), by[n]))
		}
	}
	return out
}

// DeletedAfter lists what was deleted after last, by the resourceVersion of
// each deletion. On one API server, whose objects share one etcd, those are
// one revision counter: unlike the times a poll notices that things are
// gone, they order two deletions that fall between the same two polls.
// Keys for which exempt is true are not judged.
func DeletedAfter(deleted map[string]string, last string, exempt func(string) bool) ([]string, error) {
	lastRV, err := revision(deleted, last)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, key := range sorted(deleted) {
		if key == last || exempt(key) {
			continue
		}
		rv, err := revision(deleted, key)
		if err != nil {
			return nil, err
		}
		if rv > lastRV {
			out = append(out, fmt.Sprintf("%s was deleted after %s (revision %d > %d)", key, last, rv, lastRV))
		}
	}
	return out, nil
}

func revision(deleted map[string]string, key string) (uint64, error) {
	rv, ok := deleted[key]
	if !ok {
		return 0, fmt.Errorf("no deletion seen for %s", key)
	}
	n, err := strconv.ParseUint(rv, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%s deleted at resourceVersion %q: %w", key, rv, err)
	}
	return n, nil
}

func sorted[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
