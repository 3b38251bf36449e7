package render

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// stage is one crossplane render of an example XR.
type stage struct {
	name     string
	xr       string // relative to the repository root
	observed string // relative to the repository root; "" for none
	required bool   // pass example/render/required
}

// The stages of the full example follow a platform coming up: nothing
// observed; the cluster (and its pools) ready; everything composed so far
// ready, repeated until nothing new is composed. Observed files are derived
// from the previous stage's output (see observed.go) and checked in, so a
// user can run the same renders by hand.
var stages = []stage{
	{name: "minimal", xr: "example/render/xr-minimal.yaml"},
	{name: "full-0-nothing-observed", xr: "example/render/xr.yaml", required: true},
	// Without the ConfigMap it references, demo-app is a Warning and a
	// not-ready entry in status.workloads; nothing else changes.
	{name: "full-0-without-required-resources", xr: "example/render/xr.yaml"},
	{name: "full-1-cluster-ready", xr: "example/render/xr.yaml", observed: observedDir + "1-cluster-ready.yaml", required: true},
	{name: "full-2-providerconfigs-ready", xr: "example/render/xr.yaml", observed: observedDir + "2-providerconfigs-ready.yaml", required: true},
	{name: "full-3-addons-ready", xr: "example/render/xr.yaml", observed: observedDir + "3-addons-ready.yaml", required: true},
	{name: "full-4-gateway-controller-ready", xr: "example/render/xr.yaml", observed: observedDir + "4-gateway-controller-ready.yaml", required: true},
	{name: "full-5-gateway-ready", xr: "example/render/xr.yaml", observed: observedDir + "5-gateway-ready.yaml", required: true},
	{name: "full-6-dns-ready", xr: "example/render/xr.yaml", observed: observedDir + "6-dns-ready.yaml", required: true},
	{name: "full-7-certificates-ready", xr: "example/render/xr.yaml", observed: observedDir + "7-certificates-ready.yaml", required: true},
	{name: "full-8-everything-ready", xr: "example/render/xr.yaml", observed: observedDir + "8-everything-ready.yaml", required: true},
}

const observedDir = "example/render/observed/"

// render runs crossplane render for a stage and returns its output.
func render(t *testing.T, s stage) []byte {
	t.Helper()
	args := []string{"composition", "render",
		// The CLI renders with Crossplane core's own engine; without this
		// it would run core's image in Docker.
		"--crossplane-binary=" + core,
		filepath.Join(root, s.xr),
		filepath.Join(root, "package", "configuration", "composition.yaml"),
		functions,
		"--include-function-results",
		"--include-full-xr",
		// Apply the XRD's defaults to the XR, as the API server would.
		"--xrd=" + filepath.Join(root, "package", "configuration", "xrd.yaml"),
	}
	if s.observed != "" {
		args = append(args, "--observed-resources="+filepath.Join(root, s.observed))
	}
	if s.required {
		args = append(args, "--required-resources="+filepath.Join(root, "example", "render", "required"))
	}
	var first []byte
	// Twice: the same inputs must render byte-identical output.
	for range 2 {
		var stdout, stderr bytes.Buffer
		cmd := exec.Command(crossplane, args...)
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("crossplane %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
		}
		if first != nil && !bytes.Equal(first, stdout.Bytes()) {
			t.Fatalf("%s: two renders of the same inputs differ", s.name)
		}
		first = stdout.Bytes()
	}
	return first
}

// TestRender renders every stage in order. With -update it first derives
// each stage's observed state from the previous stage's output, then
// rewrites the goldens.
func TestRender(t *testing.T) {
	var previous []byte
	for _, s := range stages {
		if *update && s.observed != "" {
			if err := writeObserved(filepath.Join(root, s.observed), previous); err != nil {
				t.Fatal(err)
			}
		}
		got := render(t, s)
		previous = got
		golden := filepath.Join("testdata", s.name+".yaml")
		if *update {
			if err := os.WriteFile(golden, got, 0o600); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%s: %v (run go test ./test/render -update to create it)", s.name, err)
		}
		if diff := cmp.Diff(string(want), string(got)); diff != "" {
			t.Errorf("%s: crossplane render output differs from %s: -want, +got:\n%s", s.name, golden, diff)
		}
		validate(t, s.name, got)
		validateManifests(t, s.name, got)
	}
}
