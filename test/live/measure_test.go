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
)

// The metrics endpoints plane.Up gives the function and Crossplane.
const (
	functionMetrics   = "http://127.0.0.1:18090/metrics"
	crossplaneMetrics = "http://127.0.0.1:18080/metrics"
)

// TestMeasure measures what steady-state reconciles of the example claim
// cost (FPC_LIVE_MEASURE=1; FPC_LIVE_MEASURE_WINDOW, default 3m): calls per
// reconcile, request and response bytes per call, and the function's CPU
// per call, from the function's own counters (fn/codec/metrics.go,
// process_cpu_seconds_total) and Crossplane's reconcile count, over a
// window once the claim is Ready. Run it alone: go test ./test/live -run
// TestMeasure -v.
//
// FPC_LIVE_MEASURE_CAPTURE=<file> writes the request Crossplane sent the
// function for the claim's last reconcile, as fn/testdata/steady holds
// them (gzipped protojson). It comes from Crossplane's pipeline inspector,
// which the plane turns on whenever FPC_LIVE_MEASURE=1
// (measureCrossplaneArgs): Crossplane redacts every Secret's data and every
// connection detail before it emits a request.
//
// One claim only: the plane has one new cluster with nodes, which real
// provider-helm installs every chart into. The 5- and 15-claim rows in
// README were measured before provider-helm was real (each further claim
// then had a node-less API server of its own and stand-in Releases); a
// further claim now needs a cluster with its own nodes, controllers and
// stand-ins of Linode's in-cluster components, reachable from
// provider-helm's network namespace.
func TestMeasure(t *testing.T) {
	if os.Getenv("FPC_LIVE_MEASURE") != "1" {
		t.Skip("set FPC_LIVE_MEASURE=1 to measure steady-state reconciles")
	}
	requirePlane(t)
	window := 3 * time.Minute
	if w := os.Getenv("FPC_LIVE_MEASURE_WINDOW"); w != "" {
		d, err := time.ParseDuration(w)
		if err != nil {
			t.Fatalf("FPC_LIVE_MEASURE_WINDOW: %v", err)
		}
		window = d
	}
	installAsPackages(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	t.Cleanup(cancel)
	if err := cp.Mgmt.Apply(ctx, readObjects(t, repo("example", "claims", "team-a-namespace.yaml"), repo("example", "claims", "demo-app-score.yaml"))...); err != nil {
		t.Fatal(err)
	}
	if err := cp.Mgmt.Apply(ctx, measuredClaim(t)); err != nil {
		t.Fatal(err)
	}
	t0 := time.Now()
	waitConditions(t, 20*time.Minute, "claim Ready", func() (*unstructured.Unstructured, error) {
		return cp.Mgmt.Get(ctx, claimKind, "team-a", "demo")
	}, "Ready")
	t.Logf("claim Ready %s after it was applied", time.Since(t0).Round(time.Second))
	// Let the last stage's calls pass before counting.
	time.Sleep(30 * time.Second)
	row := measureWindow(t, window)
	captureSteady(ctx, t)
	t.Logf("| claims | reconciles/min | calls per reconcile | request bytes per call | response bytes per call | function CPU ms per call | function CPU ms per reconcile | Crossplane CPU ms per reconcile |\n%s", row)
}

// measureWindow counts over window and returns the claim's table row.
func measureWindow(t *testing.T, window time.Duration) string {
	t.Helper()
	before := scrape(t)
	time.Sleep(window)
	after := scrape(t)
	d := func(k string) float64 { return after[k] - before[k] }
	calls, reconciles := d("requests"), d("reconciles")
	if calls == 0 || reconciles == 0 {
		t.Fatalf("%v calls and %v reconciles in the window", calls, reconciles)
	}
	t.Logf("window %s: %v reconciles, %v calls (%v with required resources): %.2f calls per reconcile",
		window, reconciles, calls, d("requests_required"), calls/reconciles)
	t.Logf("per call: request %.0f bytes, response %.0f bytes, function CPU %.2f ms",
		d("request_bytes")/calls, d("response_bytes")/calls, 1000*d("function_cpu")/calls)
	t.Logf("per reconcile: request %.0f bytes, response %.0f bytes, function CPU %.2f ms; Crossplane CPU %.2f ms",
		d("request_bytes")/reconciles, d("response_bytes")/reconciles, 1000*d("function_cpu")/reconciles, 1000*d("crossplane_cpu")/reconciles)
	return fmt.Sprintf("| 1 | %.1f | %.2f | %.0f | %.0f | %.2f | %.2f | %.2f |", reconciles/window.Minutes(), calls/reconciles,
		d("request_bytes")/calls, d("response_bytes")/calls, 1000*d("function_cpu")/calls, 1000*d("function_cpu")/reconciles, 1000*d("crossplane_cpu")/reconciles)
}

// measuredClaim is the example claim.
func measuredClaim(t *testing.T) *unstructured.Unstructured {
	for _, o := range readObjects(t, repo("example", "claims", "demo-platformcluster.yaml")) {
		if o.GetKind() == "PlatformCluster" {
			return o
		}
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
