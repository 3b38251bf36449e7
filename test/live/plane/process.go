package plane

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"
)

// process is one program of the plane, run in its own process group so
// that stopping it stops whatever it started, with its output in a log file
// that a failing test points at.
type process struct {
	name string
	cmd  *exec.Cmd
	done chan struct{}
	// spec is kept to start the program again after a deliberate kill.
	bin  string
	args []string
	env  []string
	log  string
}

func start(logDir, name, bin string, env []string, args ...string) (*process, error) {
	p := &process{name: name, bin: bin, args: args, env: env, log: filepath.Join(logDir, name+".log")}
	return p, p.start()
}

func (p *process) start() error {
	f, err := os.OpenFile(p.log, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	fmt.Fprintf(f, "=== %s start %s\n", time.Now().Format(time.RFC3339), p.bin)
	cmd := exec.Command(p.bin, p.args...)
	cmd.Env = append(os.Environ(), p.env...)
	cmd.Stdout, cmd.Stderr = f, f
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		f.Close()
		return fmt.Errorf("start %s: %w", p.name, err)
	}
	p.cmd, p.done = cmd, make(chan struct{})
	go func() {
		_ = cmd.Wait()
		f.Close()
		close(p.done)
	}()
	return nil
}

// running reports whether the program has not exited.
func (p *process) running() bool {
	select {
	case <-p.done:
		return false
	default:
		return true
	}
}

// stop ends the program: SIGTERM, then SIGKILL after a grace period.
func (p *process) stop() {
	if p == nil || p.cmd == nil || !p.running() {
		return
	}
	_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
		<-p.done
	}
}

// kill ends the program at once, as a crash would.
func (p *process) kill() {
	if p == nil || p.cmd == nil || !p.running() {
		return
	}
	_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
	<-p.done
}
