package score

import (
	"strconv"

	"github.com/platformcluster/function-platform-cluster/fn/score/names"

	"github.com/platformcluster/function-platform-cluster/fn/score/provision"
)

// provisionServicePort outputs how to reach another workload's service port:
// name and hostname are the Service's DNS name (with its namespace, since
// every workload has its own), port is the Service port. score-k8s outputs
// the target port, which is the wrong one for a Service address.
func (w *workloadCtx) provisionServicePort(r *provision.Request) *provision.Result {
	field, params := r.Field, r.Params
	target, set, err := paramString(params, "workload")
	switch {
	case err != nil:
		w.d.fatal(field+".params.workload", "%v", err)
		return provision.FailedResult("service-port")
	case !set || target == "":
		w.d.fatal(field+".params.workload", "is required: the name of the workload to connect to")
		return provision.FailedResult("service-port")
	}
	port, ok := paramPort(params, "port")
	if !ok || port == "" {
		w.d.fatal(field+".params.port", "is required: the name or number of a service port of workload %q", target)
		return provision.FailedResult("service-port")
	}

	other, found := w.c.ctxs[target]
	if !found {
		// The workload may be deployed by another claim; its names are
		// predictable, so carry on with them.
		host := names.Service(names.MaxLabel, target) + "." + target + ".svc"
		outputs := map[string]provision.Output{"name": provision.Plain(host), "hostname": provision.Plain(host)}
		if _, err := strconv.Atoi(port); err == nil {
			outputs["port"] = provision.Plain(port)
			w.d.warn(field+".params.workload", "workload %q is not part of this conversion; assuming it exists as %s:%s", target, host, port)
		} else {
			w.d.warn(field+".params.workload", "workload %q is not part of this conversion; assuming it exists as %s, and the port named %q cannot be resolved", target, host, port)
		}
		return &provision.Result{Outputs: outputs}
	}
	p, ok := other.svc.find(port)
	if !ok {
		w.d.fatal(field+".params.port", "workload %q has no service port %q; %s", target, port, other.svc.describePorts())
		return provision.FailedResult("service-port")
	}
	host := other.svc.host()
	return &provision.Result{Outputs: map[string]provision.Output{
		"name":     provision.Plain(host),
		"hostname": provision.Plain(host),
		"port":     provision.Plain(strconv.Itoa(int(p.port))),
	}}
}
