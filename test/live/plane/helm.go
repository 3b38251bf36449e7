package plane

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"golang.org/x/sys/unix"
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
func (p *Plane) StartProviderHelm(ctx context.Context) error {
	if err := p.serveCharts(ctx); err != nil {
		return err
	}
	pid, err := p.helmPod(ctx)
	if err != nil {
		return err
	}
	return p.startProgram("provider-helm", "nsenter", []string{"KUBECONFIG=" + p.mgmtKubeconfig},
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
		l, err := listenIn(fmt.Sprintf("/proc/%d/ns/net", pid), addr)
		if err != nil {
			return 0, fmt.Errorf("listen on %s for provider-helm: %w", addr, err)
		}
		go forward(ctx, l, addr)
	}
	return pid, nil
}

// listenIn listens on addr inside the network namespace at nsPath. A socket
// stays in the namespace it was made in, so the thread that makes it
// enters the namespace and leaves again; a thread that cannot leave is
// never used again (it stays locked and ends with its goroutine).
func listenIn(nsPath, addr string) (net.Listener, error) {
	type result struct {
		l   net.Listener
		err error
	}
	ch := make(chan result, 1)
	go func() {
		runtime.LockOSThread()
		l, back, err := listenOnThread(nsPath, addr)
		if back {
			runtime.UnlockOSThread()
		}
		ch <- result{l, err}
	}()
	r := <-ch
	return r.l, r.err
}

func listenOnThread(nsPath, addr string) (net.Listener, bool, error) {
	self, err := os.Open("/proc/thread-self/ns/net")
	if err != nil {
		return nil, true, err
	}
	defer self.Close()
	target, err := os.Open(nsPath)
	if err != nil {
		return nil, true, err
	}
	defer target.Close()
	if err := setns(target); err != nil {
		return nil, true, err
	}
	l, lerr := net.Listen("tcp", addr)
	if err := setns(self); err != nil {
		if l != nil {
			l.Close()
		}
		return nil, false, fmt.Errorf("leave network namespace: %w", err)
	}
	return l, true, lerr
}

func setns(f *os.File) error {
	return unix.Setns(int(f.Fd()), unix.CLONE_NEWNET)
}

// forward relays every connection l accepts to addr in this namespace.
func forward(ctx context.Context, l net.Listener, addr string) {
	go func() {
		<-ctx.Done()
		l.Close()
	}()
	for {
		in, err := l.Accept()
		if err != nil {
			return
		}
		go func() {
			defer in.Close()
			out, err := (&net.Dialer{}).DialContext(ctx, "tcp", addr)
			if err != nil {
				return
			}
			defer out.Close()
			done := make(chan struct{}, 2)
			relay := func(dst, src net.Conn) {
				_, _ = io.Copy(dst, src)
				if tc, ok := dst.(*net.TCPConn); ok {
					_ = tc.CloseWrite()
				}
				done <- struct{}{}
			}
			go relay(out, in)
			go relay(in, out)
			<-done
			<-done
		}()
	}
}
