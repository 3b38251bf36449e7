// Package compose holds what every builder shares: the composed resource
// being built, its stable names, and the metadata it carries.
package compose

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
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
	return Shorten(xr+"-"+suffix, maxName, "")
}

// hashLen is how many hex digits of a SHA-256 end a shortened name.
const hashLen = 8

// Shorten returns s if it is at most max bytes long, else s cut to fit a
// dash and a hash of the whole s within max (Hashed), so that names cut to
// the same prefix stay apart and the same s always gives the same name.
func Shorten(s string, max int, trim string) string {
	if len(s) <= max {
		return s
	}
	return Hashed(s[:max-hashLen-1], trim, s)
}

// Hashed is prefix without trailing trim characters (a dash or dot before
// the hash's dash would make a name invalid), a dash, and the first eight
// hex digits of the SHA-256 of of.
func Hashed(prefix, trim, of string) string {
	sum := sha256.Sum256([]byte(of))
	return strings.TrimRight(prefix, trim) + "-" + hex.EncodeToString(sum[:])[:hashLen]
}
