// Package live is the live end-to-end suite: what ships (XRD, Composition,
// the function package, install manifests and example claims) is applied to
// real kube-apiservers running real Crossplane (v2.4.0, and v2.0.8 in
// TestOldestCrossplane), provider-kubernetes and provider-helm, each as its
// own identity, and the claim is driven through its life. See
// README.md, "Live control plane", for what is real and what is simulated.
package live

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/platformcluster/function-platform-cluster/test/live/plane"
	"github.com/platformcluster/function-platform-cluster/test/live/standin"
)

// cp is the plane every test of this package uses; nil when skipped.
var (
	cp      *plane.Plane
	skipWhy string
	root    string
	// controllers stands in for the workload cluster's controllers; tests
	// move its Gateway.
	controllers *standin.Cluster
	// liveBin is the folder of the plane's binaries.
	liveBin string
	// account is the fake Linode account (teardown_test.go).
	account = standin.NewAccount()
	// fleet holds the clusters of TestMeasure's further claims.
	fleet = &standin.Fleet{}
)

func TestMain(m *testing.M) {
	flag.Parse()
	os.Exit(runMain(m))
}

func runMain(m *testing.M) int {
	var err error
	if root, err = filepath.Abs("../.."); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	bin, why, err := plane.Binaries(root, testing.Short())
	liveBin = bin
	if err != nil {
		fmt.Fprintln(os.Stderr, "live:", err)
		return 1
	}
	if why != "" {
		skipWhy = why
		return m.Run()
	}
	plane.EnterPrivateNetwork()

	dir, err := os.MkdirTemp("", "fpc-live-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fnBin := filepath.Join(dir, "function")
	build := exec.Command("go", "build", "-o", fnBin, ".")
	build.Dir, build.Stdout, build.Stderr = root, os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "live: build the function:", err)
		return 1
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	t0 := time.Now()
	archives, err := pinnedArchives()
	if err != nil {
		fmt.Fprintln(os.Stderr, "live:", err)
		return 1
	}
	p, err := plane.Up(ctx, plane.Options{Bin: bin, Function: fnBin, Dir: dir, Crossplane: crossplaneDir(bin), Charts: archives, CrossplaneArgs: measureCrossplaneArgs(dir)})
	if err != nil {
		fmt.Fprintln(os.Stderr, "live: plane up:", err)
		dumpLogs(filepath.Join(dir, "logs"))
		return 1
	}
	cp = p
	fmt.Printf("live: plane up in %s (logs in %s)\n", time.Since(t0).Round(100*time.Millisecond), p.Logs())
	startStandins(ctx, p)

	code := m.Run()
	if pkgRuntime != nil {
		pkgRuntime.Stop()
	}
	if code != 0 {
		dumpLogs(p.Logs())
	}
	cancel()
	p.Down()
	if code == 0 {
		_ = os.RemoveAll(dir)
	}
	return code
}

func startStandins(ctx context.Context, p *plane.Plane) {
	logf := standinLog(p, "standins.log")
	go (&standin.Linode{Mgmt: p.Mgmt, Kubeconfig: p.WorkloadKubeconfig, Endpoint: "https://127.0.0.1:7443", Account: account, Fleet: fleet}).Run(ctx, logf)
	controllers = startInCluster(ctx, p.Workload, account, logf)
}

// startInCluster runs the stand-ins of what runs inside a new cluster:
// NGINX Gateway Fabric's and cert-manager's controllers, what Linode runs
// in every LKE cluster (keeping account), cert-manager's webhook, and the
// Gateway API CRDs' installer pod. It returns the first, whose Gateway
// tests move.
func startInCluster(ctx context.Context, k *plane.Kube, acct *standin.Account, logf standin.Logf) *standin.Cluster {
	c := &standin.Cluster{Workload: k}
	go c.Run(ctx, logf)
	go (&standin.CertManager{Workload: k}).Run(ctx, logf)
	go (&standin.Cloud{Workload: k, Account: acct}).Run(ctx, logf)
	go (&standin.CSI{Workload: k, Account: acct}).Run(ctx, logf)
	go (&standin.CertManagerWebhook{Workload: k}).Run(ctx, logf)
	go (&standin.GatewayAPIInstaller{Workload: k}).Run(ctx, logf)
	return c
}

// standinLog is a log file of the plane's for stand-ins.
func standinLog(p *plane.Plane, name string) standin.Logf {
	f, err := os.Create(filepath.Join(p.Logs(), name))
	if err != nil {
		panic(err)
	}
	return func(format string, args ...any) {
		fmt.Fprintf(f, time.Now().Format("15:04:05.000 ")+format+"\n", args...)
	}
}

// dumpLogs prints the end of every program's log: CI's output is all a
// reader of a failed run gets.
func dumpLogs(dir string) {
	files, _ := filepath.Glob(filepath.Join(dir, "*.log"))
	sort.Strings(files)
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		lines := bytes.Split(bytes.TrimRight(data, "\n"), []byte("\n"))
		if len(lines) > 40 {
			lines = lines[len(lines)-40:]
		}
		fmt.Fprintf(os.Stderr, "\n===== last lines of %s\n%s\n", f, bytes.Join(lines, []byte("\n")))
	}
	if cp != nil {
		if ex := cp.Exited(); len(ex) > 0 {
			fmt.Fprintf(os.Stderr, "\nlive: programs that exited: %v\n", ex)
		}
	}
}

func requirePlane(t *testing.T) {
	t.Helper()
	if cp == nil {
		t.Skip(skipWhy)
	}
}
