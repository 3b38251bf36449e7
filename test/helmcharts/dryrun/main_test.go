// Package dryrun checks every object the pinned charts install, rendered
// with the function's values for the example and test claims
// (helmcharts.RenderAll), against a real kube-apiserver v1.34.1 carrying
// the CRDs they need: the charts' own, and the standard-channel Gateway API
// CRDs the function installs before its gateway controller. Each object is
// server-side applied as a dry run, with strict field validation, so an
// unknown field, a schema or CEL violation, a missing kind or a missing
// namespace fails here rather than in provider-helm on a new cluster. It
// needs the live plane's binaries (test/tools/live-binaries.sh) and is
// skipped under -short.
package dryrun

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/platformcluster/function-platform-cluster/test/live/plane"
)

// api is the API server every test of this package uses; nil when skipped.
var (
	api     *plane.Plane
	skipWhy string
)

func TestMain(m *testing.M) {
	flag.Parse()
	os.Exit(run(m))
}

func run(m *testing.M) int {
	root, err := filepath.Abs(filepath.Join("..", "..", ".."))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	bin, why, err := plane.Binaries(root, testing.Short())
	if err != nil {
		fmt.Fprintln(os.Stderr, "dryrun:", err)
		return 1
	}
	if why != "" {
		skipWhy = why
		return m.Run()
	}
	// etcd and the API server listen on the live plane's loopback ports:
	// in a network namespace of their own they meet no other run's.
	plane.EnterPrivateNetwork()
	dir, err := os.MkdirTemp("", "fpc-dryrun-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	t0 := time.Now()
	p, err := plane.UpAPIServer(context.Background(), plane.Options{Bin: bin, Dir: dir})
	if err != nil {
		fmt.Fprintf(os.Stderr, "dryrun: API server up: %v (logs in %s)\n", err, filepath.Join(dir, "logs"))
		return 1
	}
	fmt.Printf("dryrun: API server up in %s\n", time.Since(t0).Round(100*time.Millisecond))
	api = p
	code := m.Run()
	p.Down()
	if code == 0 {
		_ = os.RemoveAll(dir)
	} else {
		fmt.Fprintf(os.Stderr, "dryrun: logs kept in %s\n", p.Logs())
	}
	return code
}

func requireAPIServer(t *testing.T) {
	t.Helper()
	if api == nil {
		t.Skip(skipWhy)
	}
}
