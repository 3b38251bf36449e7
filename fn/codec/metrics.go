package codec

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
)

// What every call carries, counted where the bytes are: gRPC's own metrics
// count calls, not bytes. With process_cpu_seconds_total these give the
// cost of a reconcile (test/live's FPC_LIVE_MEASURE reads them). They are
// on the default registry, which the SDK's --metrics-address serves.
var (
	requestBytes = promauto.NewCounter(prometheus.CounterOpts{
		Name: "function_platform_cluster_request_bytes_total",
		Help: "Bytes of RunFunction requests received.",
	})
	responseBytes = promauto.NewCounter(prometheus.CounterOpts{
		Name: "function_platform_cluster_response_bytes_total",
		Help: "Bytes of RunFunction responses sent.",
	})
	requests = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "function_platform_cluster_requests_total",
		Help: "RunFunction requests received, by whether they carry required resources (required=\"yes\": Crossplane fetched what the function asks for; \"no\": the first call of a reconcile that must call again).",
	}, []string{"required"})
)

func countRequest(m any, n int) {
	req, ok := m.(*fnv1.RunFunctionRequest)
	if !ok {
		return
	}
	requestBytes.Add(float64(n))
	required := "no"
	if len(req.GetRequiredResources())+len(req.GetExtraResources()) > 0 { //nolint:staticcheck // Older Crossplane versions fill only the deprecated field.
		required = "yes"
	}
	requests.WithLabelValues(required).Inc()
}

func countResponse(m any, n int) {
	if _, ok := m.(*fnv1.RunFunctionResponse); ok {
		responseBytes.Add(float64(n))
	}
}
