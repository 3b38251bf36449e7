package live

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// The metrics endpoints plane.Up gives the function and Crossplane.
const (
	functionMetrics   = "http://127.0.0.1:18090/metrics"
	crossplaneMetrics = "http://127.0.0.1:18080/metrics"
)

// TestMeasure measures what steady-state reconciles cost at N claims
// (FPC_LIVE_MEASURE=1; FPC_LIVE_MEASURE_CLAIMS, default 1;
// FPC_LIVE_MEASURE_WINDOW, default 3m): calls per reconcile, request and
// response bytes per call, and the function's CPU per call, from the
// function's own counters (fn/codec/metrics.go, process_cpu_seconds_total)
// and Crossplane's reconcile count, over a window once every claim is
// Ready. Run it alone: go test ./test/live -run TestMeasure -v.
//
// The claims are copies of the example claim that differ only in name and
// connection Secret: the plane has one workload API server, so every copy's
// Objects apply the same objects there, and identical manifests keep them
// from fighting over fields.
func TestMeasure(t *testing.T) {
	if os.Getenv("FPC_LIVE_MEASURE") != "1" {
		t.Skip("set FPC_LIVE_MEASURE=1 to measure steady-state reconciles")
	}
	requirePlane(t)
	n := envInt(t, "FPC_LIVE_MEASURE_CLAIMS", 1)
	window := 3 * time.Minute
	if w := os.Getenv("FPC_LIVE_MEASURE_WINDOW"); w != "" {
		d, err := time.ParseDuration(w)
		if err != nil {
			t.Fatalf("FPC_LIVE_MEASURE_WINDOW: %v", err)
		}
		window = d
	}
	installAsPackages(t)
	ctx := ctxFor(t)
	if err := cp.Mgmt.Apply(ctx, readObjects(t, repo("example", "claims", "team-a-namespace.yaml"), repo("example", "claims", "demo-app-score.yaml"))...); err != nil {
		t.Fatal(err)
	}
	for i := range n {
		if err := cp.Mgmt.Apply(ctx, measuredClaim(t, i)); err != nil {
			t.Fatal(err)
		}
	}
	for i := range n {
		waitConditions(t, 12*time.Minute, fmt.Sprintf("claim %d Ready", i), func() (*unstructured.Unstructured, error) {
			return cp.Mgmt.Get(ctx, claimKind, "team-a", claimName(i))
		}, "Ready")
	}
	// Let the last stage's calls pass before counting.
	time.Sleep(30 * time.Second)
	before := scrape(t)
	time.Sleep(window)
	after := scrape(t)
	d := func(k string) float64 { return after[k] - before[k] }
	calls := d("requests")
	if calls == 0 {
		t.Fatal("no RunFunction calls in the window")
	}
	t.Logf("claims %d, window %s: %v reconciles, %v calls (%v with required resources): %.2f calls per reconcile",
		n, window, d("reconciles"), calls, d("requests_required"), calls/d("reconciles"))
	t.Logf("per call: request %.0f bytes, response %.0f bytes, function CPU %.2f ms",
		d("request_bytes")/calls, d("response_bytes")/calls, 1000*d("function_cpu")/calls)
	t.Logf("per reconcile: request %.0f bytes, response %.0f bytes, function CPU %.2f ms; Crossplane CPU %.2f ms",
		d("request_bytes")/d("reconciles"), d("response_bytes")/d("reconciles"), 1000*d("function_cpu")/d("reconciles"), 1000*d("crossplane_cpu")/d("reconciles"))
}

func claimName(i int) string {
	if i == 0 {
		return "demo"
	}
	return fmt.Sprintf("demo-%d", i)
}

// measuredClaim is the example claim as claim i.
func measuredClaim(t *testing.T, i int) *unstructured.Unstructured {
	for _, o := range readObjects(t, repo("example", "claims", "demo-platformcluster.yaml")) {
		if o.GetKind() == "PlatformCluster" {
			o.SetName(claimName(i))
			_ = unstructured.SetNestedField(o.Object, claimName(i)+"-kubeconfig", "spec", "writeConnectionSecretToRef", "name")
			return o
		}
	}
	t.Fatal("example/claims has no PlatformCluster")
	return nil
}

// scrape reads the counters TestMeasure compares.
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
		"reconciles":        xp.sum("controller_runtime_reconcile_total", "xplatformclusters"),
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

func envInt(t *testing.T, name string, def int) int {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		t.Fatalf("%s=%q: want a positive integer", name, v)
	}
	return n
}
