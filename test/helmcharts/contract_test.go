package helmcharts_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/platformcluster/function-platform-cluster/fn/charts"
	"github.com/platformcluster/function-platform-cluster/input/v1beta1"
	"github.com/platformcluster/function-platform-cluster/test/helmcharts"
)

// renderAll is every Release of every claim, rendered.
func renderAll(t *testing.T) []helmcharts.Rendered {
	t.Helper()
	rs, err := helmcharts.RenderAll()
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

// TestReleasesRenderWithTheirCharts is the chart contract: every Release
// the example and test claims compose renders with its real chart, the
// function's exact values, release name and namespace, without a template
// or values-schema error, and sets no value the chart never reads.
func TestReleasesRenderWithTheirCharts(t *testing.T) {
	seen := map[string]bool{}
	all := renderAll(t)
	t.Logf("%d Releases rendered from the claims", len(all))
	// What a live test dry-runs: every Release of every claim.
	if objs, err := helmcharts.Objects(); err != nil || len(objs) != len(all) {
		t.Errorf("Objects: %d releases for %d rendered, %v", len(objs), len(all), err)
	}
	for _, r := range all {
		seen[r.Release.Chart] = true
		if r.Err != nil {
			t.Errorf("%s: %v", r.Claim, r.Err)
			continue
		}
		if len(r.Objects) == 0 {
			t.Errorf("%s: %s renders nothing", r.Claim, r.Release)
		}
		unread, err := helmcharts.Unread(r.Release)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range unread {
			t.Errorf("%s: %s sets values key %s, which the chart never reads (not in its values.yaml or values.schema.json, no template refers to it)", r.Claim, r.Release, p)
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
