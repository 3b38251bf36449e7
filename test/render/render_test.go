package render

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
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
	// volumes also passes example/render/volumes: the volume claims the
	// collection observed on the new cluster.
	volumes bool
	// tenant renders an XPlatformTenant with the tenant Composition and
	// XRD; requiredDir, relative to the repository root, is then the
	// required resources passed (the platform's XR), "" for none.
	tenant      bool
	requiredDir string
	// published also passes example/render/tenant/published: the
	// platform's Gateway once it has published the tenant's route host.
	published bool
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
	// Volume claims on the cluster: each gets its teardown guards.
	{name: "full-9-volumes", xr: "example/render/xr.yaml", observed: observedDir + "9-volumes.yaml", required: true, volumes: true},
	// A tenant on the example platform: its PlatformCluster missing, not
	// ready, being deleted, then Ready and the tenant coming up stage by
	// stage as the platform's did.
	{name: "tenant-0-platform-missing", xr: tenantXR, tenant: true},
	{name: "tenant-0-platform-not-ready", xr: tenantXR, tenant: true, requiredDir: tenantDir + "platform-not-ready"},
	{name: "tenant-0-platform-deleting", xr: tenantXR, tenant: true, requiredDir: tenantDir + "platform-deleting"},
	{name: "tenant-1-platform-ready", xr: tenantXR, tenant: true, requiredDir: tenantDir + "required"},
	{name: "tenant-2-namespaces-ready", xr: tenantXR, tenant: true, requiredDir: tenantDir + "required", observed: tenantDir + "observed/2-namespaces-ready.yaml"},
	{name: "tenant-3-policies-ready", xr: tenantXR, tenant: true, requiredDir: tenantDir + "required", observed: tenantDir + "observed/3-policies-ready.yaml"},
	{name: "tenant-4-everything-ready", xr: tenantXR, tenant: true, requiredDir: tenantDir + "required", observed: tenantDir + "observed/4-everything-ready.yaml"},
	// The platform has published the tenant's route host (a record, a
	// certificate, an HTTPS listener): the route attaches to the listener
	// and the workload's URL is https.
	{name: "tenant-5-hosts-published", xr: tenantXR, tenant: true, requiredDir: tenantDir + "required", observed: tenantDir + "observed/5-hosts-published.yaml", published: true},
}

const (
	tenantDir = "example/render/tenant/"
	tenantXR  = tenantDir + "xr.yaml"
)

const observedDir = "example/render/observed/"

// render runs crossplane render for a stage and returns its output.
func render(t *testing.T, s stage) []byte {
	t.Helper()
	composition, xrd := "composition.yaml", "xrd.yaml"
	if s.tenant {
		composition, xrd = "tenant-composition.yaml", "tenant-xrd.yaml"
	}
	args := []string{"composition", "render",
		// The CLI renders with Crossplane core's own engine; without this
		// it would run core's image in Docker.
		"--crossplane-binary=" + core,
		filepath.Join(root, s.xr),
		filepath.Join(root, "package", "configuration", composition),
		functions,
		"--include-function-results",
		"--include-full-xr",
		// Apply the XRD's defaults to the XR, as the API server would.
		"--xrd=" + filepath.Join(root, "package", "configuration", xrd),
	}
	if s.observed != "" {
		args = append(args, "--observed-resources="+filepath.Join(root, s.observed))
	}
	if s.required {
		args = append(args, "--required-resources="+filepath.Join(root, "example", "render", "required"))
	}
	if s.volumes {
		args = append(args, "--required-resources="+filepath.Join(root, "example", "render", "volumes"))
	}

	if s.requiredDir != "" {
		args = append(args, "--required-resources="+filepath.Join(root, s.requiredDir))
	}
	if s.published {
		args = append(args, "--required-resources="+filepath.Join(root, tenantDir, "published"))
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
		out := sortReadinessEvents(stdout.Bytes())
		if first != nil && !bytes.Equal(first, out) {
			t.Fatalf("%s: two renders of the same inputs differ", s.name)
		}
		first = out
	}
	return first
}

// notReadyEvent starts the Result that Crossplane core (not the function)
// emits for each composed resource that is not ready.
const notReadyEvent = "apiVersion: render.crossplane.io/v1beta1\nkind: Result\nmessage: Composed resource "

// sortReadinessEvents puts Crossplane's "Composed resource %q is not yet
// ready" Results in name order, in the places they held. Core emits them
// while ranging over a map, so their order changes from one render to the
// next (the v2.5.0 CLI renders through core's engine); everything the
// function returns is still compared byte for byte.
func sortReadinessEvents(out []byte) []byte {
	text, ok := strings.CutSuffix(string(out), "\n")
	docs := strings.Split(text, "\n---\n")
	var at []int
	var events []string
	for i, d := range docs {
		if strings.HasPrefix(d, notReadyEvent) {
			at = append(at, i)
			events = append(events, d)
		}
	}
	slices.Sort(events)
	for i, e := range events {
		docs[at[i]] = e
	}
	text = strings.Join(docs, "\n---\n")
	if ok {
		text += "\n"
	}
	return []byte(text)
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
