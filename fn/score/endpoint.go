package score

import (
	"net"
	"net/url"
	"strconv"
	"strings"

	"github.com/platformcluster/function-platform-cluster/fn/score/provision"
)

// Params of `endpoint` resources. openapi_file and openapi_title serve the
// community provisioner's Microcks mock, which a cluster-side conversion
// cannot make.
const (
	endpointParamURL   = "url"
	endpointParamPort  = "port"
	endpointParamSpec  = "openapi_file"
	endpointParamTitle = "openapi_title"
)

var endpointParams = []string{endpointParamURL, endpointParamPort, endpointParamSpec, endpointParamTitle}

// provisionEndpoint resolves an `endpoint` resource: an API the workload
// calls, with outputs url, host (and name, the same, as score-spec's
// examples read it), port and scheme. As the community
// endpoint provisioner, a resource whose id (its last dot-separated part)
// or name is a workload of the claim points at that workload's Service on
// params.port; otherwise params.url, an external URL, is required (the
// community provisioner would stand up a Microcks mock instead).
func (w *workloadCtx) provisionEndpoint(r *provision.Request) *provision.Result {
	raw, given, err := paramString(r.Params, endpointParamURL)
	if err != nil {
		w.d.fatal(r.Field+".params."+endpointParamURL, "%v", err)
		return provision.FailedResult(r.Resource.Type)
	}
	if !given {
		return w.endpointToWorkload(r)
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
		w.d.fatal(r.Field+".params."+endpointParamURL, "must be an absolute http or https URL, e.g. https://api.example.com/v1, got %q", raw)
		return provision.FailedResult(r.Resource.Type)
	}
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	return endpointOutputs(u.Scheme, u.Hostname(), port, strings.TrimSuffix(raw, "/"))
}

// endpointToWorkload points the endpoint at another workload of the claim.
func (w *workloadCtx) endpointToWorkload(r *provision.Request) *provision.Result {
	target := r.Name
	if r.Resource.Id != nil {
		parts := strings.Split(*r.Resource.Id, ".")
		target = parts[len(parts)-1]
	}
	other, found := w.c.ctxs[target]
	if !found {
		w.d.fatal(r.Field+".params."+endpointParamURL, "is required: %q is not a workload of this claim, and no mock server is made for an OpenAPI file; give the URL of the API", target)
		return provision.FailedResult(r.Resource.Type)
	}
	p, ok := w.endpointPort(r, target, other.svc)
	if !ok {
		return provision.FailedResult(r.Resource.Type)
	}
	port := strconv.Itoa(int(p.port))
	host := other.svc.host()
	return endpointOutputs("http", host, port, "http://"+net.JoinHostPort(host, port))
}

// endpointPort is the service port of the target workload params.port
// names. A workload with a single service port is reached on it whatever
// params.port says, with a warning when it says otherwise: the community
// provisioner's port is often its mock server's (score-spec's traderx
// gives 8181 for services on 1808x).
func (w *workloadCtx) endpointPort(r *provision.Request, target string, svc *serviceInfo) (svcPort, bool) {
	field := r.Field + ".params." + endpointParamPort
	ref, given := paramPort(r.Params, endpointParamPort)
	if p, ok := svc.find(ref); given && ok {
		return p, true
	}
	if len(svc.ports) == 1 {
		if given {
			w.d.warn(field, "workload %q has no service port %q; its only one, %s (%d), is used", target, ref, svc.ports[0].name, svc.ports[0].port)
		}
		return svc.ports[0], true
	}
	if !given {
		w.d.fatal(field, "is required to reach workload %q; %s", target, svc.describePorts())
	} else {
		w.d.fatal(field, "workload %q has no service port %q; %s", target, ref, svc.describePorts())
	}
	return svcPort{}, false
}

func endpointOutputs(scheme, host, port, u string) *provision.Result {
	return &provision.Result{Outputs: map[string]provision.Output{
		"url":    provision.Plain(u),
		"host":   provision.Plain(host),
		"name":   provision.Plain(host),
		"port":   provision.Plain(port),
		"scheme": provision.Plain(scheme),
	}}
}
