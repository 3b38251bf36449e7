package live

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	pipelinev1alpha1 "github.com/crossplane/crossplane-runtime/v2/apis/pipelineinspector/proto/v1alpha1"

	"github.com/platformcluster/function-platform-cluster/test/live/standin"
)

// The metrics endpoints plane.Up gives the function and Crossplane.
const (
	functionMetrics   = "http://127.0.0.1:18090/metrics"
	crossplaneMetrics = "http://127.0.0.1:18080/metrics"
)

// TestMeasure measures what steady-state reconciles of copies of the
// example claim cost (FPC_LIVE_MEASURE=1; FPC_LIVE_MEASURE_WINDOW, default
// 3m; FPC_LIVE_MEASURE_CLAIMS, default 1, rising claim counts such as
// 1,5,15): calls per reconcile, request and response bytes per call, and
// the function's CPU per call, from the function's own counters
// (fn/codec/metrics.go, process_cpu_seconds_total) and Crossplane's
// reconcile count, over a window once every claim is Ready. The claims are
// added step by step in one plane, each step measured on its own. Run it
// alone: go test ./test/live -run TestMeasure -v.
//
// FPC_LIVE_MEASURE_CAPTURE=<file> writes the request Crossplane sent the
// function for the first claim's last reconcile of the first step, as
// fn/testdata/steady holds them (gzipped protojson). It comes from
// Crossplane's pipeline inspector, which the plane turns on whenever
// FPC_LIVE_MEASURE=1 (measureCrossplaneArgs): Crossplane redacts every
// Secret's data and every connection detail before it emits a request.
//
// The claims are copies of the example claim that differ only in name,
// cluster label and connection Secret. Each after the first gets a cluster
// of its own, as complete as the first (ownCluster), where real
// provider-helm installs every chart.
func TestMeasure(t *testing.T) {
	if os.Getenv("FPC_LIVE_MEASURE") != "1" {
		t.Skip("set FPC_LIVE_MEASURE=1 to measure steady-state reconciles")
	}
	requirePlane(t)
	steps := claimSteps(t)
	window := 3 * time.Minute
	if w := os.Getenv("FPC_LIVE_MEASURE_WINDOW"); w != "" {
		d, err := time.ParseDuration(w)
		if err != nil {
			t.Fatalf("FPC_LIVE_MEASURE_WINDOW: %v", err)
		}
		window = d
	}
	installAsPackages(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Hour)
	t.Cleanup(cancel)
	if err := cp.Mgmt.Apply(ctx, readObjects(t, repo("example", "claims", "team-a-namespace.yaml"), repo("example", "claims", "demo-app-score.yaml"))...); err != nil {
		t.Fatal(err)
	}
	var rows []string
	applied := 0
	for step, n := range steps {
		for ; applied < n; applied++ {
			if applied > 0 {
				ownCluster(ctx, t, applied)
			}
			if err := cp.Mgmt.Apply(ctx, measuredClaim(t, applied)); err != nil {
				t.Fatal(err)
			}
		}
		// Every claim installs eight charts; on two cores a step's new
		// claims become Ready one after another.
		t0 := time.Now()
		deadline := t0.Add(20*time.Minute + time.Duration(n)*5*time.Minute)
		for i := range n {
			waitConditions(t, time.Until(deadline), fmt.Sprintf("claim %d Ready", i), func() (*unstructured.Unstructured, error) {
				return cp.Mgmt.Get(ctx, claimKind, "team-a", claimName(i))
			}, "Ready")
		}
		t.Logf("%d claims Ready %s after the last was applied", n, time.Since(t0).Round(time.Second))
		// Let the last stage's calls pass before counting.
		time.Sleep(30 * time.Second)
		rows = append(rows, measureWindow(t, n, window))
		if step == 0 {
			captureSteady(ctx, t)
		}
	}
	t.Logf("| claims | reconciles/min | calls per reconcile | request bytes per call | response bytes per call | function CPU ms per call | function CPU ms per reconcile | Crossplane CPU ms per reconcile |\n%s",
		strings.Join(rows, "\n"))
}

// measureWindow counts over window and returns the step's table row.
func measureWindow(t *testing.T, n int, window time.Duration) string {
	t.Helper()
	before := scrape(t)
	time.Sleep(window)
	after := scrape(t)
	d := func(k string) float64 { return after[k] - before[k] }
	calls, reconciles := d("requests"), d("reconciles")
	if calls == 0 || reconciles == 0 {
		t.Fatalf("%d claims: %v calls and %v reconciles in the window", n, calls, reconciles)
	}
	t.Logf("claims %d, window %s: %v reconciles, %v calls (%v with required resources): %.2f calls per reconcile",
		n, window, reconciles, calls, d("requests_required"), calls/reconciles)
	t.Logf("per call: request %.0f bytes, response %.0f bytes, function CPU %.2f ms",
		d("request_bytes")/calls, d("response_bytes")/calls, 1000*d("function_cpu")/calls)
	t.Logf("per reconcile: request %.0f bytes, response %.0f bytes, function CPU %.2f ms; Crossplane CPU %.2f ms",
		d("request_bytes")/reconciles, d("response_bytes")/reconciles, 1000*d("function_cpu")/reconciles, 1000*d("crossplane_cpu")/reconciles)
	return fmt.Sprintf("| %d | %.1f | %.2f | %.0f | %.0f | %.2f | %.2f | %.2f |", n, reconciles/window.Minutes(), calls/reconciles,
		d("request_bytes")/calls, d("response_bytes")/calls, 1000*d("function_cpu")/calls, 1000*d("function_cpu")/reconciles, 1000*d("crossplane_cpu")/reconciles)
}

// claimSteps reads FPC_LIVE_MEASURE_CLAIMS.
func claimSteps(t *testing.T) []int {
	t.Helper()
	v := os.Getenv("FPC_LIVE_MEASURE_CLAIMS")
	if v == "" {
		return []int{1}
	}
	var out []int
	for _, f := range strings.Split(v, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 || (len(out) > 0 && n <= out[len(out)-1]) {
			t.Fatalf("FPC_LIVE_MEASURE_CLAIMS=%q: want rising positive integers, e.g. 1,5,15", v)
		}
		out = append(out, n)
	}
	return out
}

// ownCluster gives claim i (i >= 1) a new cluster of its own, as complete
// as the plane's first (plane.AddCluster), with the stand-ins of what runs
// in it, in a Linode account of its own, and tells the Linode stand-in.
// Claims that share a cluster fight over their cluster-scoped objects and
// Helm releases. Claim 0 uses the plane's first cluster.
func ownCluster(ctx context.Context, t *testing.T, i int) {
	t.Helper()
	c, err := cp.AddCluster(ctx, i)
	if err != nil {
		t.Fatalf("claim %d's cluster: %v", i, err)
	}
	acct := standin.NewAccount()
	run, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	startInCluster(run, c.Kube, acct, standinLog(cp, fmt.Sprintf("standins-%d.log", i)))
	fleet.Add(claimName(i), standin.Member{Kubeconfig: c.Kubeconfig, Endpoint: c.Endpoint, Account: acct})
}

func claimName(i int) string {
	if i == 0 {
		return "demo"
	}
	return fmt.Sprintf("demo-%d", i)
}

// measuredClaim is the example claim as claim i: its own name, LKE cluster
// label and connection Secret.
func measuredClaim(t *testing.T, i int) *unstructured.Unstructured {
	for _, o := range readObjects(t, repo("example", "claims", "demo-platformcluster.yaml")) {
		if o.GetKind() != "PlatformCluster" {
			continue
		}
		if i > 0 {
			o.SetName(claimName(i))
			_ = unstructured.SetNestedField(o.Object, claimName(i)+"-cluster", "spec", "clusterSpec", "clusterName")
			_ = unstructured.SetNestedField(o.Object, claimName(i)+"-kubeconfig", "spec", "writeConnectionSecretToRef", "name")
		}
		return o
	}
	t.Fatal("example/claims has no PlatformCluster")
	return nil
}

// scrape reads the counters TestMeasure compares. Only the XR controller
// calls the function; the claim controller's name also holds the plural.
func scrape(t *testing.T) map[string]float64 {
	t.Helper()
	fn := metrics(t, functionMetrics)
	xp := metrics(t, crossplaneMetrics)
	return map[string]float64{
		"requests":          fn.sum("function_platform_cluster_requests_total", ""),
		"requests_required": fn.sum("function_platform_cluster_requests_total", `required="yes"`),
		"request_bytes":     fn.sum("function_platform_cluster_request_bytes_total", ""),
		"response_bytes":    fn.sum("function_platform_cluster_response_bytes_total", ""),
		"function_cpu":      fn.sum("process_cpu_seconds_total", ""),
		"crossplane_cpu":    xp.sum("process_cpu_seconds_total", ""),
		"reconciles":        xp.sum("controller_runtime_reconcile_total", `controller="composite/xplatformclusters.`),
	}
}

// exposition is Prometheus text exposition, one sample per line.
type exposition []string

// sum adds the samples of metric whose labels contain match.
func (e exposition) sum(metric, match string) float64 {
	var total float64
	for _, l := range e {
		name, rest, _ := strings.Cut(l, " ")
		labels := ""
		if i := strings.IndexByte(l, '{'); i >= 0 {
			j := strings.LastIndexByte(l, '}')
			name, labels, rest = l[:i], l[i:j+1], strings.TrimSpace(l[j+1:])
		}
		if name != metric || !strings.Contains(labels, match) {
			continue
		}
		v, err := strconv.ParseFloat(strings.Fields(rest)[0], 64)
		if err == nil {
			total += v
		}
	}
	return total
}

func metrics(t *testing.T, url string) exposition {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	rsp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s: %v", url, err)
	}
	defer rsp.Body.Close()
	var out exposition
	s := bufio.NewScanner(rsp.Body)
	s.Buffer(make([]byte, 1<<20), 1<<20)
	for s.Scan() {
		if l := s.Text(); l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return out
}

// inspected holds the last request Crossplane's pipeline inspector emitted
// for each XR; nil unless FPC_LIVE_MEASURE=1.
var inspected *inspector

// measureCrossplaneArgs turns Crossplane's pipeline inspector on when
// measuring, with its socket in dir, and serves it.
func measureCrossplaneArgs(dir string) []string {
	if os.Getenv("FPC_LIVE_MEASURE") != "1" {
		return nil
	}
	socket := filepath.Join(dir, "inspector.sock")
	l, err := net.Listen("unix", socket)
	if err != nil {
		fmt.Fprintln(os.Stderr, "live: pipeline inspector:", err)
		return nil
	}
	inspected = &inspector{last: map[string][]byte{}}
	s := grpc.NewServer(grpc.MaxRecvMsgSize(64 << 20))
	pipelinev1alpha1.RegisterPipelineInspectorServiceServer(s, inspected)
	go func() { _ = s.Serve(l) }()
	return []string{"--enable-pipeline-inspector", "--pipeline-inspector-socket=" + socket}
}

// inspector keeps the last request per XR.
type inspector struct {
	pipelinev1alpha1.UnimplementedPipelineInspectorServiceServer
	mu   sync.Mutex
	last map[string][]byte
}

func (i *inspector) EmitRequest(_ context.Context, r *pipelinev1alpha1.EmitRequestRequest) (*pipelinev1alpha1.EmitRequestResponse, error) {
	if xr := r.GetMeta().GetCompositionMeta().GetCompositeResourceName(); xr != "" {
		i.mu.Lock()
		i.last[xr] = r.GetRequest()
		i.mu.Unlock()
	}
	return &pipelinev1alpha1.EmitRequestResponse{}, nil
}

func (i *inspector) EmitResponse(context.Context, *pipelinev1alpha1.EmitResponseRequest) (*pipelinev1alpha1.EmitResponseResponse, error) {
	return &pipelinev1alpha1.EmitResponseResponse{}, nil
}

// captureSteady writes the claim's last request to
// FPC_LIVE_MEASURE_CAPTURE, indented and gzipped as fn's writeSteady does.
func captureSteady(ctx context.Context, t *testing.T) {
	t.Helper()
	path := os.Getenv("FPC_LIVE_MEASURE_CAPTURE")
	if path == "" || inspected == nil {
		return
	}
	claim, err := cp.Mgmt.Get(ctx, claimKind, "team-a", "demo")
	if err != nil {
		t.Fatal(err)
	}
	xr, _, _ := unstructured.NestedString(claim.Object, "spec", "resourceRef", "name")
	inspected.mu.Lock()
	raw := inspected.last[xr]
	inspected.mu.Unlock()
	if raw == nil {
		t.Fatalf("the pipeline inspector emitted no request for XR %q", xr)
	}
	var ind bytes.Buffer
	if err := json.Indent(&ind, raw, "", " "); err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	_, _ = zw.Write(append(ind.Bytes(), '\n'))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, gz.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("captured XR %s's request (%d bytes of protojson) to %s", xr, len(raw), path)
}
