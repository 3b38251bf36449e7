package tenant

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/platformcluster/function-platform-cluster/fn/compose"
)

// lock is a tenant's host lock as the platform fetches it.
func lock(host string, routes []string, deleting bool) map[string]any {
	o := Host(compose.Owner{XR: "team-b-4xk2p", Cluster: "demo"}, "demo-x7k2p", "team-b", host, routes).Object
	if deleting {
		o["metadata"].(map[string]any)["deletionTimestamp"] = "2024-01-01T00:00:00Z"
	}
	return o
}

func TestPublished(t *testing.T) {
	got := Published([]map[string]any{
		lock("team-b.example.com", []string{"web.team-b.example.com", "api.team-b.example.com", "grafana.example.com"}, false),
		lock("team-c.example.com", []string{"web.team-c.example.com"}, true),
		lock("team-d.example.com", nil, false),
		lock("team-e.example.com", []string{"api.team-b.example.com", "team-e.example.com"}, false),
	})
	// A host outside its tenant's is never published, nor one of a lock
	// being deleted; each host once, sorted.
	want := []string{"api.team-b.example.com", "team-e.example.com", "web.team-b.example.com"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Published: -want, +got:\n%s", diff)
	}
	if l := lock("team-b.example.com", nil, false)["metadata"].(map[string]any)["labels"].(map[string]any); l[HostsLabel] != HostsOf("demo-x7k2p") {
		t.Errorf("host lock labels %v: want %s=%s", l, HostsLabel, HostsOf("demo-x7k2p"))
	}
}

func TestListeners(t *testing.T) {
	gw := map[string]any{"spec": map[string]any{"forProvider": map[string]any{"manifest": map[string]any{"spec": map[string]any{"listeners": []any{
		map[string]any{"name": "http", "port": int64(80), "protocol": "HTTP"},
		map[string]any{"name": "https-web-team-b", "hostname": "web.team-b.example.com", "protocol": "HTTPS"},
		map[string]any{"name": "odd", "hostname": "x.example.com", "protocol": "TLS"},
	}}}}}}
	want := map[string]string{"web.team-b.example.com": "https-web-team-b"}
	if diff := cmp.Diff(want, Listeners(gw)); diff != "" {
		t.Errorf("Listeners: -want, +got:\n%s", diff)
	}
	if got := Listeners(nil); len(got) != 0 {
		t.Errorf("Listeners(nil) = %v", got)
	}
}
