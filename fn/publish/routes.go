package publish

import (
	"github.com/platformcluster/function-platform-cluster/fn/compose"
	"github.com/platformcluster/function-platform-cluster/fn/object"
)

// Gateway names the default Gateway routes attach to.
type Gateway struct {
	Name, Namespace string
}

// UI is an add-on with a web interface, published at <Name>.<domain>.
type UI struct {
	// Name is the add-on key, which is also its host's first label.
	Name string
	// Namespace, Service and Port are where its chart serves it.
	Namespace, Service string
	Port               int64
}

// UIRouteKey is the composition resource name of a UI's HTTPRoute.
func UIRouteKey(ui string) string { return "object-route-" + ui }

// UIRoute builds a UI's HTTPRoute in the UI's own namespace, so its backend
// needs no ReferenceGrant. With HTTPS it attaches to the host's HTTPS
// listener only: attached to the HTTP listener too, its exact host name
// would win over the redirect and serve the UI in plain text.
func UIRoute(o compose.Owner, ui UI, h Host, gw Gateway, https bool) compose.Resource {
	section := HTTPListener
	if https {
		section = HTTPSListener(h)
	}
	m := map[string]any{
		"apiVersion": "gateway.networking.k8s.io/v1",
		"kind":       "HTTPRoute",
		"metadata":   map[string]any{"name": ui.Name, "namespace": ui.Namespace},
		"spec": map[string]any{
			"parentRefs": []any{parentRef(gw, section)},
			"hostnames":  []any{h.Name},
			"rules": []any{map[string]any{
				"matches":     []any{map[string]any{"path": map[string]any{"type": "PathPrefix", "value": "/"}}},
				"backendRefs": []any{map[string]any{"name": ui.Service, "port": ui.Port}},
			}},
		},
	}
	return object.Wrap(o, UIRouteKey(ui.Name), "route-"+ui.Name, m, object.RouteAccepted, ui.Name)
}

// RedirectKey is the composition resource name of the HTTPS redirect.
const RedirectKey = "object-https-redirect"

// Redirect builds the route that answers plain HTTP for every host under
// the domain with a permanent redirect to HTTPS. It loses, as it should, to
// any route naming an exact host on the HTTP listener: cert-manager's
// HTTP-01 challenge routes, and hosts past MaxHTTPSHosts.
func Redirect(o compose.Owner, domain string, gw Gateway) compose.Resource {
	m := map[string]any{
		"apiVersion": "gateway.networking.k8s.io/v1",
		"kind":       "HTTPRoute",
		"metadata":   map[string]any{"name": "https-redirect", "namespace": gw.Namespace},
		"spec": map[string]any{
			"parentRefs": []any{parentRef(gw, HTTPListener)},
			"hostnames":  []any{"*." + domain},
			"rules": []any{map[string]any{
				"filters": []any{map[string]any{
					"type":            "RequestRedirect",
					"requestRedirect": map[string]any{"scheme": "https", "statusCode": int64(301)},
				}},
			}},
		},
	}
	return object.Wrap(o, RedirectKey, "https-redirect", m, object.RouteAccepted, "gateway")
}

func parentRef(gw Gateway, section string) map[string]any {
	return map[string]any{
		"group": "gateway.networking.k8s.io", "kind": "Gateway",
		"name": gw.Name, "namespace": gw.Namespace, "sectionName": section,
	}
}

// BodySizeKey is the composition resource name of a UI's request body
// policy.
func BodySizeKey(ui string) string { return "object-client-settings-" + ui }

// UnlimitedBody lifts NGINX's 1 MiB request body limit from a UI's route:
// image layers pushed to Harbor are far larger, and NGINX Gateway Fabric
// applies that limit unless a ClientSettingsPolicy says otherwise.
func UnlimitedBody(o compose.Owner, ui UI) compose.Resource {
	m := map[string]any{
		"apiVersion": "gateway.nginx.org/v1alpha1",
		"kind":       "ClientSettingsPolicy",
		"metadata":   map[string]any{"name": ui.Name + "-body-size", "namespace": ui.Namespace},
		"spec": map[string]any{
			"targetRef": map[string]any{"group": "gateway.networking.k8s.io", "kind": "HTTPRoute", "name": ui.Name},
			"body":      map[string]any{"maxSize": "0"},
		},
	}
	return object.Wrap(o, BodySizeKey(ui.Name), "client-settings-"+ui.Name, m, "", ui.Name)
}
