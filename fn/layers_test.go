package fn

import (
	"errors"
	"go/build"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// module is the function's module path, which fn/ packages import each
// other by.
const module = "github.com/platformcluster/function-platform-cluster/"

// layers are fn/'s packages from the top down (README "Repository
// layout"). A package imports only packages of its own layer or of layers
// below it; a package under one listed here (fn/score/...) is in its
// layer.
var layers = [][]string{
	// Orchestration: the order of composition, and the Input resolved
	// onto what the builders take.
	{"fn", "fn/settings"},
	// Builders: what each composed resource looks like.
	{
		"fn/addons", "fn/dns", "fn/lke", "fn/object", "fn/protection", "fn/providerconfig",
		"fn/publish", "fn/score", "fn/teardown", "fn/tenant", "fn/tls", "fn/workload",
	},
	// Inputs: the claims' specs, observed state, the pinned charts and
	// Gateway API release.
	{"fn/charts", "fn/gatewayapi", "fn/observed", "fn/spec", "fn/tenantspec"},
	// Shared helpers.
	{"fn/codec", "fn/compose", "fn/fntest", "fn/sorted", "fn/storage"},
}

// layerOf is the index in layers of the package at path (relative to the
// module), from the longest listed path it is or is under; only fn itself
// is fn's.
func layerOf(path string) (int, bool) {
	best, layer := "", -1
	for i, pkgs := range layers {
		for _, p := range pkgs {
			under := p != "fn" && strings.HasPrefix(path, p+"/")
			if (path == p || under) && len(p) > len(best) {
				best, layer = p, i
			}
		}
	}
	return layer, layer >= 0
}

// TestImportsRunDown fails when a package under fn/ imports one of a layer
// above its own, or is in no layer. Test files may import anything.
func TestImportsRunDown(t *testing.T) {
	for path, imports := range fnImports(t) {
		from, ok := layerOf(path)
		if !ok {
			t.Errorf("%s is in no layer: add it to layers and to README's layout table", path)
			continue
		}
		for _, imp := range imports {
			if to, ok := layerOf(imp); ok && to < from {
				t.Errorf("%s imports %s, of a layer above its own (%v above %v)", path, imp, layers[to], layers[from])
			}
		}
	}
}

// fnImports maps every production package under fn/ to the fn/ packages it
// imports, all relative to the module.
func fnImports(t *testing.T) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	err := filepath.WalkDir(".", func(dir string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		if d.Name() == "testdata" {
			return filepath.SkipDir
		}
		pkg, err := build.ImportDir(dir, 0)
		var none *build.NoGoError
		if errors.As(err, &none) {
			return nil
		} else if err != nil {
			return err
		}
		path := filepath.ToSlash(filepath.Join("fn", dir))
		out[path] = nil
		for _, imp := range pkg.Imports {
			if rel, ok := strings.CutPrefix(imp, module); ok && (rel == "fn" || strings.HasPrefix(rel, "fn/")) {
				out[path] = append(out[path], rel)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) < 10 {
		t.Fatalf("found only %d packages under fn/: %v", len(out), out)
	}
	return out
}
