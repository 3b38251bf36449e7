package plane

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"golang.org/x/sys/unix"
)

// startIsolated starts a program in a network namespace of its own, inside
// the plane's, for programs that bind ports they cannot be told to move
// (controller-runtime's metrics on :8080). Its loopback has one listener,
// on the management API server's address, relayed to the plane's API
// server, so the kubeconfig it is given works unchanged. script runs in sh
// with the program as $0 and args as "$@" once the relay listens. Such a
// program cannot be restarted: its namespace goes with it.
func (p *Plane) startIsolated(ctx context.Context, name, bin string, env []string, script string, args ...string) error {
	ready := filepath.Join(p.opts.Dir, name+".netns-ready")
	wrapped := append([]string{"--net", "--", "sh", "-c",
		`ip link set lo up && while [ ! -e "$NETNS_READY" ]; do sleep 0.1; done && ` + script, bin}, args...)
	if err := p.startProgram(name, "unshare", append(env, "NETNS_READY="+ready), wrapped...); err != nil {
		return err
	}
	pid := p.procs[name].cmd.Process.Pid
	own, err := os.Readlink("/proc/self/ns/net")
	if err != nil {
		return err
	}
	// unshare(1) enters the new namespace before it runs sh, in place.
	err = p.waitFor(ctx, name, 10*time.Second, func() error {
		ns, err := os.Readlink(fmt.Sprintf("/proc/%d/ns/net", pid))
		if err != nil || ns == own {
			return fmt.Errorf("%s has no network namespace of its own yet (%v)", name, err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	ln, err := listenInNetns(fmt.Sprintf("/proc/%d/ns/net", pid), fmt.Sprintf("127.0.0.1:%d", mgmtPort))
	if err != nil {
		return fmt.Errorf("%s: relay to the API server: %w", name, err)
	}
	go relayConns(ln, fmt.Sprintf("127.0.0.1:%d", mgmtPort))
	return os.WriteFile(ready, nil, 0o600)
}

// listenInNetns opens a listener inside another network namespace. The
// socket stays in that namespace whichever thread later uses it. The
// thread that enters the namespace goes back to its own before it is
// unlocked: a thread that ended instead would kill, by Pdeathsig, every
// program of the plane it once started.
func listenInNetns(netns, addr string) (net.Listener, error) {
	type result struct {
		ln  net.Listener
		err error
	}
	ch := make(chan result, 1)
	go func() {
		runtime.LockOSThread()
		ln, back, err := listenOnThread(netns, addr)
		if back {
			runtime.UnlockOSThread()
		} // else the thread stays locked and ends with the goroutine
		ch <- result{ln, err}
	}()
	r := <-ch
	return r.ln, r.err
}

// listenOnThread listens in netns from the calling (locked) thread and
// reports whether the thread is back in its own namespace.
func listenOnThread(netns, addr string) (net.Listener, bool, error) {
	own, err := os.Open("/proc/thread-self/ns/net")
	if err != nil {
		return nil, true, err
	}
	defer own.Close()
	target, err := os.Open(netns)
	if err != nil {
		return nil, true, err
	}
	defer target.Close()
	if err := unix.Setns(int(target.Fd()), unix.CLONE_NEWNET); err != nil {
		return nil, true, fmt.Errorf("setns %s: %w", netns, err)
	}
	ln, lerr := net.Listen("tcp", addr)
	if err := unix.Setns(int(own.Fd()), unix.CLONE_NEWNET); err != nil {
		if ln != nil {
			ln.Close()
		}
		return nil, false, fmt.Errorf("back from %s: %w", netns, err)
	}
	return ln, true, lerr
}

// relayConns forwards every connection ln accepts to target, byte for byte.
func relayConns(ln net.Listener, target string) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		go func() {
			defer c.Close()
			s, err := net.Dial("tcp", target)
			if err != nil {
				return
			}
			defer s.Close()
			go func() { _, _ = io.Copy(s, c); s.Close() }()
			_, _ = io.Copy(c, s)
		}()
	}
}
