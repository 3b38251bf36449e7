// Package sorted gives a map's keys in order, which deterministic output
// needs wherever a map is walked.
package sorted

import (
	"cmp"
	"slices"
)

// Keys returns m's keys in ascending order. The slice is sized up front:
// slices.Sorted(maps.Keys(m)) grows it as it goes, which cost a few
// percent of a call's allocations when decoding a claim's spec.
func Keys[M ~map[K]V, K cmp.Ordered, V any](m M) []K {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
