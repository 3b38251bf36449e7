// Package compose holds what every builder shares: the composed resource
// being built, its stable names, and the metadata it carries.
package compose

import (
	"crypto/sha256"
	"encoding/hex"
)

// Resource is one desired composed resource.
type Resource struct {
	// Key is the composition resource name Crossplane tracks it by.
	Key string
	// Object is the resource, JSON-compatible.
	Object map[string]any
}

// Object returns the skeleton of a Kubernetes object.
func Object(apiVersion, kind, name string) map[string]any {
	return map[string]any{
		"apiVersion": apiVersion,
		"kind":       kind,
		"metadata":   map[string]any{"name": name},
	}
}

// maxName keeps composed names valid as label values and DNS labels, which
// several providers copy names into.
const maxName = 63

// Name derives a stable, valid name for a composed resource from the XR's
// name and a suffix. Names that would be too long are shortened with a hash
// of the full name, so they stay unique and stable across reconciles.
func Name(xr, suffix string) string {
	n := xr + "-" + suffix
	if len(n) <= maxName {
		return n
	}
	sum := sha256.Sum256([]byte(n))
	h := hex.EncodeToString(sum[:])[:8]
	return n[:maxName-len(h)-1] + "-" + h
}
