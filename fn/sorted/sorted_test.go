package sorted

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

type named map[string]int

func TestKeys(t *testing.T) {
	if diff := cmp.Diff([]string{"a", "b", "c"}, Keys(named{"c": 3, "a": 1, "b": 2})); diff != "" {
		t.Errorf("Keys(...): -want, +got:\n%s", diff)
	}
	if diff := cmp.Diff([]string{}, Keys(map[string]bool(nil)), cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("Keys(nil): -want, +got:\n%s", diff)
	}
}
