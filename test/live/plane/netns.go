package plane

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
)

const inNetnsEnv = "FPC_LIVE_PRIVATE_NETWORK"

// EnterPrivateNetwork runs the calling test binary again inside a new
// network namespace that has only loopback, and exits with its status.
// Crossplane binds its metrics and probes on every interface, and nothing
// of the plane must be reachable from outside: inside the namespace, every
// listener is on a loopback that only this run can see, and everything the
// test starts inherits it. Returns in the child.
func EnterPrivateNetwork() {
	if os.Getenv(inNetnsEnv) == "1" {
		return
	}
	for _, tool := range []string{"unshare", "ip"} {
		if _, err := exec.LookPath(tool); err != nil {
			fmt.Fprintf(os.Stderr, "live: %s not found (util-linux, iproute2): %v\n", tool, err)
			os.Exit(1)
		}
	}
	self, err := os.Executable()
	if err != nil {
		fmt.Fprintln(os.Stderr, "live:", err)
		os.Exit(1)
	}
	args := append([]string{"--net", "--", "sh", "-c", `ip link set lo up && exec "$0" "$@"`, self}, os.Args[1:]...)
	cmd := exec.Command("unshare", args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.Env = append(os.Environ(), inNetnsEnv+"=1")
	if err := cmd.Run(); err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			os.Exit(ee.ExitCode())
		}
		fmt.Fprintln(os.Stderr, "live: unshare:", err)
		os.Exit(1)
	}
	os.Exit(0)
}
