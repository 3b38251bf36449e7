package score

import (
	"net/netip"
	"regexp"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/validation"
	gatewayv1 "sigs.k8s.io/gateway-api/apis/v1"

	"github.com/platformcluster/function-platform-cluster/fn/score/manifest"

	"github.com/platformcluster/function-platform-cluster/fn/score/provision"

	"github.com/platformcluster/function-platform-cluster/fn/score/names"
)

// validPathPrefix is what the Gateway API accepts as an Exact or PathPrefix
// path (HTTPPathMatch's CEL rules).
var validPathPrefix = regexp.MustCompile(`^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$`)

// provisionRoute makes an HTTPRoute from the params host, path (default "/")
// and port, attached to the configured Gateway. The port may be a service
// port's name or number; either way the backend gets the number, since a
// backendRef port cannot be a name (score-k8s copies a name through, which
// the Gateway API rejects).
func (w *workloadCtx) provisionRoute(r *provision.Request) *provision.Result {
	field, name, params := r.Field, r.Name, r.Params
	failed := provision.FailedResult("route")
	if w.c.opts.GatewayName == "" {
		w.d.fatal(field, "routes need a Gateway to attach to, and none is configured for this platform")
		return failed
	}

	host, ok := w.routeHost(field, params)
	if !ok {
		return failed
	}

	path, set, err := paramString(params, "path")
	if err != nil {
		w.d.fatal(field+".params.path", "%v", err)
		return failed
	}
	if !set {
		path = "/"
	}
	match, ok := w.pathMatch(field+".params.path", path)
	if !ok {
		return failed
	}

	port, ok := w.routePort(field, params)
	if !ok {
		return failed
	}

	parent := gatewayv1.ParentReference{
		Group: new(gatewayv1.Group(gatewayv1.GroupName)),
		Kind:  new(gatewayv1.Kind("Gateway")),
		Name:  gatewayv1.ObjectName(w.c.opts.GatewayName),
	}
	if w.c.opts.GatewayNamespace != "" {
		parent.Namespace = new(gatewayv1.Namespace(w.c.opts.GatewayNamespace))
	}
	route := &gatewayv1.HTTPRoute{
		TypeMeta:   manifest.TypeMeta(gatewayv1.GroupVersion.String(), "HTTPRoute"),
		ObjectMeta: manifest.ObjectMeta(w.ns, names.Stable(names.MaxLabel, w.p.name, name), w.p.name),
		Spec: gatewayv1.HTTPRouteSpec{
			CommonRouteSpec: gatewayv1.CommonRouteSpec{ParentRefs: []gatewayv1.ParentReference{parent}},
			Hostnames:       []gatewayv1.Hostname{gatewayv1.Hostname(host)},
			Rules: []gatewayv1.HTTPRouteRule{{
				Matches: []gatewayv1.HTTPRouteMatch{{Path: match}},
				BackendRefs: []gatewayv1.HTTPBackendRef{{BackendRef: gatewayv1.BackendRef{
					BackendObjectReference: gatewayv1.BackendObjectReference{
						Name: gatewayv1.ObjectName(w.svc.name),
						Port: new(port.port),
					},
				}}},
			}},
		},
	}
	info := &provision.Route{Host: host, Path: path}
	if *match.Type == gatewayv1.PathMatchRegularExpression {
		info.Path = "/"
	}
	return &provision.Result{Manifests: []Manifest{manifest.From(route)}, Route: info}
}

// routeHost reads and checks the route's host param.
func (w *workloadCtx) routeHost(field string, params map[string]any) (string, bool) {
	host, set, err := paramString(params, "host")
	switch {
	case err != nil:
		w.d.fatal(field+".params.host", "%v", err)
		return "", false
	case !set || host == "":
		w.d.fatal(field+".params.host", "is required, e.g. ${resources.dns.host}")
		return "", false
	}
	if msg := checkHostname(host); msg != "" {
		w.d.fatal(field+".params.host", "%q is not a valid route hostname: %s", host, msg)
		return "", false
	}
	return host, true
}

// routePort resolves the route's port param to one of the workload's TCP
// service ports.
func (w *workloadCtx) routePort(field string, params map[string]any) (svcPort, bool) {
	portRef, ok := paramPort(params, "port")
	if !ok || portRef == "" {
		w.d.fatal(field+".params.port", "is required: the name or number of one of the workload's service ports")
		return svcPort{}, false
	}
	port, found := w.svc.find(portRef)
	if !found {
		w.d.fatal(field+".params.port", "%q is not a service port of this workload; %s", portRef, w.svc.describePorts())
		return svcPort{}, false
	}
	if port.protocol != corev1.ProtocolTCP {
		w.d.fatal(field+".params.port", "service port %q is %s; HTTP routes need a TCP port", port.name, port.protocol)
		return svcPort{}, false
	}
	return port, true
}

// pathMatch accepts any path the Gateway API takes as a prefix. Anything else
// that compiles as a regular expression (score-compose treats paths as
// such) becomes a RegularExpression match, whose support varies by Gateway.
func (w *workloadCtx) pathMatch(field, path string) (*gatewayv1.HTTPPathMatch, bool) {
	if !strings.HasPrefix(path, "/") {
		w.d.fatal(field, "%q must start with /", path)
		return nil, false
	}
	if len(path) > 1024 {
		w.d.fatal(field, "is longer than 1024 characters")
		return nil, false
	}
	if validPathPrefix.MatchString(path) && prefixProblem(path) == "" {
		return &gatewayv1.HTTPPathMatch{Type: new(gatewayv1.PathMatchPathPrefix), Value: new(path)}, true
	}
	if _, err := regexp.Compile(path); err != nil || !strings.ContainsAny(path, `[]()^$*+?|\{}`) {
		msg := prefixProblem(path)
		if msg == "" {
			msg = "has characters a path prefix may not contain"
		}
		w.d.fatal(field, "%q is neither a valid path prefix (it %s) nor a regular expression", path, msg)
		return nil, false
	}
	w.d.warn(field, "%q is not a path prefix, so it is matched as a regular expression; whether and how the Gateway supports that is implementation-specific", path)
	return &gatewayv1.HTTPPathMatch{Type: new(gatewayv1.PathMatchRegularExpression), Value: new(path)}, true
}

// prefixProblem mirrors the other CEL rules of HTTPPathMatch.
func prefixProblem(path string) string {
	for _, bad := range []string{"//", "/./", "/../", "%2f", "%2F", "#"} {
		if strings.Contains(path, bad) {
			return "contains " + bad
		}
	}
	for _, bad := range []string{"/..", "/."} {
		if strings.HasSuffix(path, bad) {
			return "ends with " + bad
		}
	}
	return ""
}

// checkHostname applies the Gateway API's Hostname rules: a DNS name, maybe
// with a leading "*." wildcard label, and no IP address.
func checkHostname(host string) string {
	name := strings.TrimPrefix(host, "*.")
	if errs := validation.IsDNS1123Subdomain(name); len(errs) > 0 {
		return strings.Join(errs, "; ")
	}
	if _, err := netip.ParseAddr(name); err == nil {
		return "IP addresses are not allowed"
	}
	return ""
}
