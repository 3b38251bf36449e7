// Package render runs the real crossplane CLI (v2.5.0, rendering through
// Crossplane core v2.4.0's engine) against the function
// binary: crossplane render on every example, through every stage, compared
// with golden files, and crossplane resource validate of everything rendered
// against the provider CRDs.
package render

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/platformcluster/function-platform-cluster/test/internal/fnserver"
)

var update = flag.Bool("update", false, "rewrite golden files and generated observed state; read the diff before committing")

// Set up once by TestMain.
var (
	root       string // repository root
	crossplane string // crossplane CLI
	core       string // Crossplane core, whose engine crossplane render runs
	functions  string // functions.yaml pointing at the served function
)

func TestMain(m *testing.M) {
	flag.Parse()
	if testing.Short() {
		fmt.Println("skipping crossplane render tests in -short mode")
		os.Exit(0)
	}
	code, err := run(m)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Exit(code)
}

func run(m *testing.M) (int, error) {
	var err error
	if root, err = fnserver.RepoRoot(); err != nil {
		return 0, err
	}
	out, err := exec.Command("bash", filepath.Join(root, "test", "tools", "crossplane.sh")).Output()
	if err != nil {
		return 0, fmt.Errorf("cannot build the crossplane CLI: %w", err)
	}
	crossplane = strings.TrimSpace(string(out))
	// From v2.3 the CLI renders by running core's `internal render`, in
	// Docker unless it is given a core binary: build the one the live
	// plane runs (a few minutes cold, cached after).
	out, err = exec.Command("bash", filepath.Join(root, "test", "tools", "live-binaries.sh"), "--only", "crossplane").Output()
	if err != nil {
		return 0, fmt.Errorf("cannot build Crossplane core: %w", err)
	}
	core = filepath.Join(strings.TrimSpace(string(out)), "crossplane")

	tmp, err := os.MkdirTemp("", "render-test-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(tmp) // Best-effort cleanup.
	bin, err := fnserver.Build(tmp)
	if err != nil {
		return 0, err
	}
	addr, err := fnserver.FreeAddress()
	if err != nil {
		return 0, err
	}
	stop, err := fnserver.Start(bin, addr, "--insecure", "--debug")
	if err != nil {
		return 0, err
	}
	defer stop()

	// The example's functions.yaml, aimed at this test's function.
	b, err := os.ReadFile(filepath.Join(root, "example", "render", "functions.yaml"))
	if err != nil {
		return 0, err
	}
	functions = filepath.Join(tmp, "functions.yaml")
	b = []byte(strings.Replace(string(b), "runtime-development-target: localhost:9443", "runtime-development-target: "+addr, 1))
	if err := os.WriteFile(functions, b, 0o600); err != nil {
		return 0, err
	}
	return m.Run(), nil
}
