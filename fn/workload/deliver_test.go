package workload

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/platformcluster/function-platform-cluster/fn/compose"
	"github.com/platformcluster/function-platform-cluster/fn/score"
)

func TestDeliver(t *testing.T) {
	out := score.Output{Workloads: []score.WorkloadOutput{{
		Name: "shop", Namespace: "shop", URL: "http://shop-dns.example.com/",
		Manifests: []score.Manifest{
			{"apiVersion": "v1", "kind": "Namespace", "metadata": map[string]any{"name": "shop"}},
			{"apiVersion": "v1", "kind": "Secret", "metadata": map[string]any{"name": "db", "namespace": "shop"}},
			{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": map[string]any{"name": "shop", "namespace": "shop"}},
			{"apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute", "metadata": map[string]any{"name": "route", "namespace": "shop"}},
		},
		Secrets: []score.GeneratedSecret{{Namespace: "shop", Name: "db", Keys: []string{"password"}}},
	}}}
	owner := compose.Owner{XR: "demo-x7k2p", Cluster: "demo"}
	cases := map[string]struct {
		gateway      bool
		wantKeys     []string
		wantWarnings []string
		wantURL      string
	}{
		"WithGateway": {
			gateway: true,
			wantKeys: []string{
				"wl-shop-namespace-shop", "wl-shop-deployment-shop", "wl-shop-httproute-route",
				"wl-shop-serviceaccount-gen-db", "wl-shop-role-gen-db", "wl-shop-rolebinding-gen-db", "wl-shop-job-gen-db",
			},
			wantURL: "http://shop-dns.example.com/",
		},
		"WithoutGatewayRoutesAreReportedNotDropped": {
			wantKeys: []string{
				"wl-shop-namespace-shop", "wl-shop-deployment-shop",
				"wl-shop-serviceaccount-gen-db", "wl-shop-role-gen-db", "wl-shop-rolebinding-gen-db", "wl-shop-job-gen-db",
			},
			wantWarnings: []string{"workload shop: HTTPRoute shop/route is not delivered because spec.components.gatewayFabric is not enabled; enable it to expose the workload"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			ds, warnings := Deliver(out, Target{Owner: owner, GeneratorImage: "img", GatewayEnabled: tc.gateway})
			if len(ds) != 1 {
				t.Fatalf("want one delivery, got %d", len(ds))
			}
			var keys []string
			for _, r := range ds[0].Resources {
				keys = append(keys, r.Key)
				if r.Object["kind"] != "Object" {
					t.Errorf("%s: want a provider-kubernetes Object, got %v", r.Key, r.Object["kind"])
				}
				m := r.Object["spec"].(map[string]any)["forProvider"].(map[string]any)["manifest"].(map[string]any)
				if m["kind"] == "Secret" {
					t.Errorf("%s: a generated Secret must be created on the cluster, not delivered", r.Key)
				}
			}
			if diff := cmp.Diff(tc.wantKeys, keys); diff != "" {
				t.Errorf("keys: -want, +got:\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantWarnings, warnings); diff != "" {
				t.Errorf("warnings: -want, +got:\n%s", diff)
			}
			if ds[0].URL != tc.wantURL {
				t.Errorf("URL: want %q, got %q", tc.wantURL, ds[0].URL)
			}
		})
	}
}

func TestSharedDatabaseHasOneGenerator(t *testing.T) {
	app := func(name string) score.Workload {
		return score.Workload{Name: name, Source: name, Spec: map[string]any{
			"apiVersion": "score.dev/v1b1",
			"metadata":   map[string]any{"name": name},
			"containers": map[string]any{"main": map[string]any{
				"image":     "nginx",
				"variables": map[string]any{"DB_PASSWORD": "${resources.db.password}"},
			}},
			"resources": map[string]any{"db": map[string]any{"type": "postgres", "id": "orders"}},
		}}
	}
	out := score.Convert([]score.Workload{app("cart"), app("shop")}, score.Options{GatewayName: "gw", GatewayNamespace: "gw"})
	for _, p := range out.Problems {
		if p.Severity == score.SeverityFatal {
			t.Fatalf("unexpected problem: %v", p)
		}
	}
	ds, _ := Deliver(out, Target{Owner: compose.Owner{XR: "x"}, GeneratorImage: "img", GatewayEnabled: true})
	var jobs []string
	bindings := map[string]bool{}
	for _, d := range ds {
		for _, r := range d.Resources {
			m := r.Object["spec"].(map[string]any)["forProvider"].(map[string]any)["manifest"].(map[string]any)
			md := m["metadata"].(map[string]any)
			switch m["kind"] {
			case "Job":
				jobs = append(jobs, md["namespace"].(string))
				script := m["spec"].(map[string]any)["template"].(map[string]any)["spec"].(map[string]any)["containers"].([]any)[0].(map[string]any)["command"].([]any)[2].(string)
				for _, ns := range []string{"cart", "shop"} {
					if !strings.Contains(script, "kubectl get secret -n '"+score.SharedNamespace+"'") || !strings.Contains(script, "-n '"+ns+"'") {
						t.Errorf("generator must copy the shared Secret into %s:\n%s", ns, script)
					}
				}
			case "RoleBinding":
				bindings[md["namespace"].(string)] = true
			}
		}
	}
	if diff := cmp.Diff([]string{score.SharedNamespace}, jobs); diff != "" {
		t.Errorf("want exactly one generator Job, in the shared namespace: -want, +got:\n%s", diff)
	}
	for _, ns := range []string{score.SharedNamespace, "cart", "shop"} {
		if !bindings[ns] {
			t.Errorf("generator has no RoleBinding in %s", ns)
		}
	}
}
