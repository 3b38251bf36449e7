package fntest

import (
	"encoding/json"
	"fmt"
)

// Large returns a claim with every add-on, three node pools and n Score
// workloads, each with a postgres database, a dns name and a route: the
// heaviest claim the benchmarks and size checks use.
func Large(n int) string {
	b, _ := json.Marshal(largeSpec(n))
	return string(b)
}

// Published is Large(n) published under platform.example.com with HTTPS:
// besides Large's resources, a DNS zone, a record and a certificate per
// host, cert-manager, its issuer and the UIs' routes.
func Published(n int) string {
	spec := largeSpec(n)
	c := spec["components"].(map[string]any)
	c["gatewayFabric"] = map[string]any{"enabled": true, "domain": "platform.example.com", "tls": map[string]any{"email": "ops@platform.example.com"}}
	c["userApps"] = map[string]any{"domain": "apps.platform.example.com"}
	b, _ := json.Marshal(spec)
	return string(b)
}

func largeSpec(n int) map[string]any {
	ws := make([]any, 0, n)
	for i := range n {
		name := fmt.Sprintf("app-%02d", i)
		ws = append(ws, map[string]any{"name": name, "score": map[string]any{
			"apiVersion": "score.dev/v1b1",
			"metadata":   map[string]any{"name": name},
			"containers": map[string]any{"main": map[string]any{
				"image": "ghcr.io/example/" + name + ":1.0",
				"variables": map[string]any{
					"DB_HOST":     "${resources.db.host}",
					"DB_PASSWORD": "${resources.db.password}",
					"PUBLIC_URL":  "http://${resources.dns.host}",
				},
				"resources": map[string]any{
					"limits":   map[string]any{"cpu": "500m", "memory": "256Mi"},
					"requests": map[string]any{"cpu": "100m", "memory": "128Mi"},
				},
				"readinessProbe": map[string]any{"httpGet": map[string]any{"path": "/healthz", "port": 8080}},
			}},
			"service": map[string]any{"ports": map[string]any{"web": map[string]any{"port": 80, "targetPort": 8080}}},
			"resources": map[string]any{
				"db":    map[string]any{"type": "postgres"},
				"dns":   map[string]any{"type": "dns"},
				"route": map[string]any{"type": "route", "params": map[string]any{"host": "${resources.dns.host}", "path": "/", "port": "web"}},
			},
		}})
	}
	spec := map[string]any{
		"clusterSpec": map[string]any{
			"clusterName": "large", "labels": map[string]any{"team": "platform", "environment": "prod"},
			"highAvailability": true,
			"controlPlaneAcl":  map[string]any{"enabled": true, "addresses": map[string]any{"ipv4": []any{"203.0.113.0/24"}}},
			"nodePools": []any{
				map[string]any{"name": "default", "type": "g6-standard-4", "count": 3},
				map[string]any{"name": "burst", "type": "g6-standard-8", "autoscaler": map[string]any{"min": 1, "max": 10}},
				map[string]any{"name": "batch", "type": "g6-dedicated-8", "count": 2, "taints": []any{
					map[string]any{"key": "dedicated", "value": "batch", "effect": "NoSchedule"},
				}},
			},
		},
		"components": map[string]any{
			"gatewayFabric": map[string]any{"enabled": true},
			"o11yStack":     map[string]any{"enabled": true},
			"headlamp":      map[string]any{"enabled": true},
			"harbor":        map[string]any{"enabled": true},
			"userApps":      map[string]any{"domain": "apps.example.com"},
		},
		"workloads": ws,
	}
	return spec
}
