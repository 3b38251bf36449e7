package plane

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Binaries finds the plane's binaries (the folder
// test/tools/live-binaries.sh prints), or says why a live test is skipped:
// under -short, or when they are not built. Under CI, or with FPC_LIVE=1,
// they are built when missing and a live test never skips; otherwise a
// developer without them is told how to get them rather than made to wait
// for a cold build.
func Binaries(repoRoot string, short bool) (dir, skip string, err error) {
	if short {
		return "", "the live control plane is skipped with -short", nil
	}
	script := liveBinariesScript(repoRoot)
	required := mustBuild()
	args := []string{script, "--plane"}
	if !required {
		args = []string{script, "--cached"}
	}
	out, err := exec.Command("bash", args...).Output()
	if err != nil {
		if required {
			return "", "", fmt.Errorf("%s: %w", script, err)
		}
		return "", "live control-plane binaries are not built: run test/tools/live-binaries.sh once (about an hour cold on two cores) or set FPC_LIVE=1", nil
	}
	return strings.TrimSpace(string(out)), "", nil
}

// OldestCrossplane makes sure the oldest admitted Crossplane release is in
// bin (the folder Binaries found) and says why TestOldestCrossplane is
// skipped when it is not. Under CI, or with FPC_LIVE=1, it is built, or
// waited for while a background build (.ci/run's) holds its lock: the
// plane's other binaries do not wait for it.
func OldestCrossplane(repoRoot, bin string) (skip string, err error) {
	if _, err := os.Stat(filepath.Join(bin, "crossplane-oldest", "crossplane")); err == nil {
		return "", nil
	}
	if !mustBuild() {
		return "the oldest Crossplane is not built: run test/tools/live-binaries.sh once, or set FPC_LIVE=1", nil
	}
	script := liveBinariesScript(repoRoot)
	if out, err := exec.Command("bash", script, "--only", "crossplane-oldest").CombinedOutput(); err != nil {
		return "", fmt.Errorf("%s --only crossplane-oldest: %w\n%s", script, err, out)
	}
	return "", nil
}

// mustBuild says whether missing live binaries are built (or waited for)
// rather than the tests that need them skipped: under CI, or with
// FPC_LIVE=1.
func mustBuild() bool {
	return os.Getenv("CI") == "true" || os.Getenv("FPC_LIVE") == "1"
}

func liveBinariesScript(repoRoot string) string {
	return filepath.Join(repoRoot, "test", "tools", "live-binaries.sh")
}
