package workload

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/platformcluster/function-platform-cluster/fn/score"
)

func route(host string) score.Manifest {
	return score.Manifest{
		"apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
		"metadata": map[string]any{"name": "r", "namespace": "w"},
		"spec": map[string]any{
			"hostnames":  []any{host},
			"parentRefs": []any{map[string]any{"name": "gw", "namespace": "nginx-gateway"}},
		},
	}
}

func TestAttach(t *testing.T) {
	listeners := map[string]string{"web.p.acme.io": "https-web"}
	in := route("web.p.acme.io")
	got := attach(in, listeners)
	want := []any{map[string]any{"name": "gw", "namespace": "nginx-gateway", "sectionName": "https-web"}}
	if diff := cmp.Diff(want, got["spec"].(map[string]any)["parentRefs"]); diff != "" {
		t.Errorf("parentRefs: -want, +got:\n%s", diff)
	}
	// The conversion cache shares its manifests with later calls.
	if diff := cmp.Diff(route("web.p.acme.io"), in); diff != "" {
		t.Errorf("attach changed its input: -want, +got:\n%s", diff)
	}
	other := route("web.elsewhere.io")
	if diff := cmp.Diff(route("web.elsewhere.io"), attach(other, listeners)); diff != "" {
		t.Errorf("a host without an HTTPS listener must keep its parentRefs: -want, +got:\n%s", diff)
	}
}

func TestSecure(t *testing.T) {
	listeners := map[string]string{"web.p.acme.io": "https-web"}
	for in, want := range map[string]string{
		"http://web.p.acme.io/api/v1?x=%2F": "https://web.p.acme.io/api/v1?x=%2F",
		"http://web.elsewhere.io/":          "http://web.elsewhere.io/",
		"":                                  "",
	} {
		if got := secure(in, listeners); got != want {
			t.Errorf("secure(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRouteHosts(t *testing.T) {
	ms := []score.Manifest{route("b.p.acme.io"), {"kind": "Service"}, route("a.p.acme.io"), route("b.p.acme.io")}
	if diff := cmp.Diff([]string{"a.p.acme.io", "b.p.acme.io"}, RouteHosts(ms)); diff != "" {
		t.Errorf("-want, +got:\n%s", diff)
	}
}
