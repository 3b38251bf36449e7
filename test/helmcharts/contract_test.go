package helmcharts_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/platformcluster/function-platform-cluster/fn/charts"
	"github.com/platformcluster/function-platform-cluster/input/v1beta1"
	"github.com/platformcluster/function-platform-cluster/test/helmcharts"
)

// rendered is every Release of every claim, rendered once for all tests.
type rendered struct {
	claim   string
	release helmcharts.Release
	objects []map[string]any
	err     error
}

var (
	distinct, claimCount int
	renderOnce           sync.Once
	renders              []rendered
	renderErr            error
)

// renderAll renders every Release of every claim, once per test binary:
// the contract and the secrets tests read the same output.
func renderAll(t *testing.T) []rendered {
	t.Helper()
	renderOnce.Do(func() { renders, renderErr = renderClaims() })
	if renderErr != nil {
		t.Fatal(renderErr)
	}
	return renders
}

func renderClaims() ([]rendered, error) {
	cs, err := helmcharts.Claims()
	if err != nil {
		return nil, err
	}
	var out []rendered
	// Claims share most Releases; each distinct one is rendered once.
	done := map[string]rendered{}
	claimCount = len(cs)
	for _, c := range cs {
		rels, err := c.ComposedReleases()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", c.Name, err)
		}
		for _, o := range rels {
			r, err := helmcharts.FromComposed(o)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", c.Name, err)
			}
			key, _ := json.Marshal(r)
			if d, ok := done[string(key)]; ok {
				out = append(out, rendered{claim: c.Name, release: r, objects: d.objects, err: d.err})
				continue
			}
			objs, err := helmcharts.Render(r)
			distinct++
			done[string(key)] = rendered{objects: objs, err: err}
			out = append(out, rendered{claim: c.Name, release: r, objects: objs, err: err})
		}
	}
	return out, nil
}

// TestReleasesRenderWithTheirCharts is the chart contract: every Release
// the example and test claims compose renders with its real chart, the
// function's exact values, release name and namespace, without a template
// or values-schema error, and sets no value the chart never reads.
func TestReleasesRenderWithTheirCharts(t *testing.T) {
	seen := map[string]bool{}
	all := renderAll(t)
	t.Logf("%d Releases rendered (%d distinct) from %d claims", len(all), distinct, claimCount)
	for _, r := range all {
		seen[r.release.Chart] = true
		if r.err != nil {
			t.Errorf("%s: %v", r.claim, r.err)
			continue
		}
		if len(r.objects) == 0 {
			t.Errorf("%s: %s renders nothing", r.claim, r.release)
		}
		unread, err := helmcharts.Unread(r.release)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range unread {
			t.Errorf("%s: %s sets values key %s, which the chart never reads (not in its values.yaml or values.schema.json, no template refers to it)", r.claim, r.release, p)
		}
	}
	pins, err := charts.Resolve(v1beta1.Charts{})
	if err != nil {
		t.Fatal(err)
	}
	for addon, c := range pins {
		if !seen[c.Name] {
			t.Errorf("no claim composes %s; add one to helmcharts.Claims", addon)
		}
	}
}

// TestArchivesArePinned: an archive for every pinned chart, none for a
// chart version no longer pinned.
func TestArchivesArePinned(t *testing.T) {
	pins, err := charts.Resolve(v1beta1.Charts{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{}
	for _, c := range pins {
		p := helmcharts.Archive(c.Name, c.Version)
		want[filepath.Base(p)] = true
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s %s is pinned but has no archive: go generate ./test/helmcharts (%v)", c.Name, c.Version, err)
		}
	}
	have, _ := filepath.Glob(filepath.Join(filepath.Dir(helmcharts.Archive("x", "y")), "*.tgz"))
	for _, p := range have {
		if !want[filepath.Base(p)] {
			t.Errorf("%s is not a pinned chart version; remove it", filepath.Base(p))
		}
	}
	readme, err := os.ReadFile(filepath.Join(filepath.Dir(helmcharts.Archive("x", "y")), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for a := range want {
		if !strings.Contains(string(readme), a) {
			t.Errorf("archives/README.md does not say where %s comes from", a)
		}
	}
}
