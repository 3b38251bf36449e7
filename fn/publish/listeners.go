package publish

import "github.com/platformcluster/function-platform-cluster/fn/tls"

// HTTPListener is the name of the Gateway's plain-HTTP listener.
const HTTPListener = "http"

// HTTPSListener is the name of a host's HTTPS listener, which the host's
// routes attach to by sectionName.
func HTTPSListener(h Host) string { return "https-" + h.Slug }

// Listeners are the Gateway's listeners: plain HTTP for every host, then
// one HTTPS listener per host terminating TLS with the host's certificate.
// A listener whose certificate is not issued yet is invalid on its own and
// leaves the Gateway and its other listeners programmed.
func Listeners(https []Host) []any {
	all := map[string]any{"namespaces": map[string]any{"from": "All"}}
	out := []any{map[string]any{
		"name": HTTPListener, "port": int64(80), "protocol": "HTTP", "allowedRoutes": all,
	}}
	for _, h := range https {
		out = append(out, map[string]any{
			"name":     HTTPSListener(h),
			"hostname": h.Name,
			"port":     int64(443),
			"protocol": "HTTPS",
			"tls": map[string]any{
				"mode":            "Terminate",
				"certificateRefs": []any{map[string]any{"kind": "Secret", "name": tls.SecretName(h.Slug)}},
			},
			"allowedRoutes": all,
		})
	}
	return out
}
