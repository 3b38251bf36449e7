package configuration

import (
	"flag"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the XRDs' schemas from the Go types")

const module = "github.com/platformcluster/function-platform-cluster/"

// xrds are the generated XRDs, each with the package whose Spec and Status
// types its schema is generated from.
var xrds = []struct{ file, pkg string }{
	{"xrd.yaml", module + "fn/spec"},
	{"tenant-xrd.yaml", module + "fn/tenantspec"},
}

// TestXRDSchemasAreGenerated fails when a committed XRD's schema is not
// what its Go types generate: a field, default, enum, pattern or rule
// changed on one side only cannot go unnoticed.
func TestXRDSchemasAreGenerated(t *testing.T) {
	pkgs := make([]string, 0, len(xrds))
	for _, x := range xrds {
		pkgs = append(pkgs, x.pkg)
	}
	generated, err := schemas(pkgs...)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range xrds {
		have, err := os.ReadFile(x.file)
		if err != nil {
			t.Fatal(err)
		}
		want, err := splice(have, generated[x.pkg])
		if err != nil {
			t.Fatalf("%s: %v", x.file, err)
		}
		if *update {
			if err := os.WriteFile(x.file, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if diff := cmp.Diff(string(want), string(have)); diff != "" {
			t.Errorf("%s is not what %s generates (go generate ./package/configuration): -generated, +committed:\n%s", x.file, x.pkg, diff)
		}
	}
}
