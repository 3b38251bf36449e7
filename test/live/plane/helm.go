package plane

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Loopback addresses provider-helm reaches: both API servers (the
// kubeconfig it is given names the workload one) and the chart repository.
var helmReaches = []string{
	fmt.Sprintf("127.0.0.1:%d", mgmtPort), fmt.Sprintf("127.0.0.1:%d", workloadPort), chartAddress,
}

// StartProviderHelm serves the chart repository and runs the real
// provider-helm, as a package runtime does once the provider's package
// revision has installed its CRDs. It serves metrics on :8080 whatever it
// is told, as provider-kubernetes does, and caches charts in /tmp/charts
// whoever else runs on the machine, so it runs in network and mount
// namespaces of its own, as it would in its own pod: what it reaches on
// loopback (the API servers and the chart repository) is forwarded to the
// plane's loopback, and its chart cache is a folder of this run, empty at
// the start.
//
// Like provider-kubernetes, it runs as its revision's ServiceAccount
// (ProviderIdentity), with what the RBAC manager grants that revision.
func (p *Plane) StartProviderHelm(ctx context.Context, provider string) error {
	kubeconfig, err := p.ProviderIdentity(ctx, provider)
	if err != nil {
		return err
	}
	if err := p.serveCharts(ctx); err != nil {
		return err
	}
	pid, err := p.helmPod(ctx)
	if err != nil {
		return err
	}
	return p.startProgram("provider-helm", "nsenter", []string{"KUBECONFIG=" + kubeconfig},
		fmt.Sprintf("--net=/proc/%d/ns/net", pid), fmt.Sprintf("--mount=/proc/%d/ns/mnt", pid), "--", p.bin("provider-helm"),
		// It notices a release's drift only when it polls; shorter than its
		// default 10 minutes, as for provider-kubernetes.
		"--debug", "--poll=10s", "--timeout=10m")
}

// helmPod starts a process holding new network and mount namespaces, with
// loopback up and this run's chart cache at /tmp/charts, and forwards
// helmReaches into it. It returns the process's ID for nsenter.
func (p *Plane) helmPod(ctx context.Context) (int, error) {
	cache := filepath.Join(p.opts.Dir, "provider-helm-charts")
	if err := os.MkdirAll(cache, 0o700); err != nil {
		return 0, err
	}
	if err := p.startProgram("provider-helm-netns", "unshare", nil,
		"--net", "--mount", "--propagation", "private", "--", "sh", "-c",
		`ip link set lo up && mkdir -p /tmp/charts && mount --bind "$0" /tmp/charts && exec sleep infinity`, cache); err != nil {
		return 0, err
	}
	pid := p.procs["provider-helm-netns"].cmd.Process.Pid
	// Once sh has become sleep, loopback is up and the cache mounted.
	err := p.waitFor(ctx, "provider-helm-netns", 30*time.Second, func() error {
		comm, err := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
		if err != nil || strings.TrimSpace(string(comm)) != "sleep" {
			return fmt.Errorf("network namespace not ready (%v)", err)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	for _, addr := range helmReaches {
		if err := p.reachFromHelm(addr); err != nil {
			return 0, err
		}
	}
	return pid, nil
}

// reachFromHelm forwards a loopback address of the plane into
// provider-helm's network namespace.
func (p *Plane) reachFromHelm(addr string) error {
	pod, ok := p.procs["provider-helm-netns"]
	if !ok {
		return fmt.Errorf("provider-helm's network namespace is not there yet to reach %s from", addr)
	}
	l, err := listenInNetns(fmt.Sprintf("/proc/%d/ns/net", pod.cmd.Process.Pid), addr)
	if err != nil {
		return fmt.Errorf("listen on %s for provider-helm: %w", addr, err)
	}
	go relayConns(l, addr)
	return nil
}
