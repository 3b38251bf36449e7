package live

import (
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/platformcluster/function-platform-cluster/test/live/plane"
)

// oldestEnv selects, in a run of this test binary, the oldest Crossplane
// release the packages' crossplane.version constraint admits.
const oldestEnv = "FPC_LIVE_CROSSPLANE"

// TestOldestCrossplane runs the install as packages and the example claim
// up to Ready (TestLive's first three steps) on a plane of its own running
// the oldest Crossplane release crossplane.yaml admits (v2.0.8), then
// deletes that claim keeping its volumes (step 6k, teardown_test.go).
// That plane runs in this test binary run again, in a network namespace of
// its own, so its ports do not meet this plane's.
func TestOldestCrossplane(t *testing.T) {
	requirePlane(t)
	if os.Getenv(oldestEnv) != "" {
		t.Skip("this run is the oldest Crossplane's")
	}
	if skip, err := plane.OldestCrossplane(root, liveBin); err != nil {
		t.Fatal(err)
	} else if skip != "" {
		t.Skip(skip)
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	steps := "^(1-install-as-packages|2-claim-composes-the-cluster|3-platform-and-workloads-ready|6k-kept-volumes-stay-at-linode)$"
	cmd := exec.Command(self, "-test.run=^TestLive$/"+steps, "-test.v", "-test.timeout=40m")
	cmd.Dir = repo("test", "live")
	cmd.Env = append(os.Environ(), oldestEnv+"=oldest", "FPC_LIVE_PRIVATE_NETWORK=")
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	t0 := time.Now()
	if err := cmd.Run(); err != nil {
		t.Fatalf("install and the example claim (Ready, then deleted keeping its volumes) on the oldest Crossplane: %v", err)
	}
	t.Logf("install, the example claim Ready and deleted keeping its volumes, on the oldest Crossplane: %s", time.Since(t0).Round(time.Second))
}

// crossplaneDir is the folder of the Crossplane release this run's plane
// runs: the newest (the plane's default) or, for TestOldestCrossplane, the
// oldest admitted.
func crossplaneDir(bin string) string {
	if strings.TrimSpace(os.Getenv(oldestEnv)) == "oldest" {
		return bin + "/crossplane-oldest"
	}
	return ""
}
