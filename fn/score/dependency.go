package score

import (
	"strings"
)

// provisionService resolves a `service` resource, a dependency on another
// workload of the same claim, as the community service provisioner of
// score-k8s does: the workload is the last dot-separated part of the id, or
// the resource name when there is no id. Its output name (and hostname, the
// same) is the workload's Service with its namespace, since every workload
// has its own; score-k8s gives the bare Service name because it puts all
// workloads in one namespace.
func (w *workloadCtx) provisionService(r *request) *provisioned {
	target, field := r.name, r.field
	if r.res.Id != nil {
		parts := strings.Split(*r.res.Id, ".")
		target, field = parts[len(parts)-1], r.field+".id"
	}
	other, found := w.c.ctxs[target]
	if !found {
		w.d.fatal(field, "depends on workload %q, which is not part of this claim; add it to the claim or remove the dependency (workloads of other claims are reached with a service-port resource)", target)
		return failedResource("service")
	}
	if len(other.svc.ports) == 0 {
		w.d.warn(field, "workload %q publishes no service ports, so it has no Service and %s does not resolve", target, other.svc.host())
	}
	host := other.svc.host()
	return &provisioned{outputs: map[string]output{
		"name":     plainOutput(host),
		"hostname": plainOutput(host),
	}}
}
