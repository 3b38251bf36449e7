package score

import (
	"strings"

	"github.com/platformcluster/function-platform-cluster/fn/score/names"

	"github.com/platformcluster/function-platform-cluster/fn/score/provision"
)

// provisionService resolves a `service` resource, a dependency on another
// workload of the same claim, as the community service provisioner of
// score-k8s does: the workload is the last dot-separated part of the id, or
// the resource name when there is no id. Its output name (and hostname, the
// same) is the workload's Service with its namespace, since every workload
// has its own; score-k8s gives the bare Service name because it puts all
// workloads in one namespace.
func (w *workloadCtx) provisionService(r *provision.Request) *provision.Result {
	target, field := r.Name, r.Field
	if r.Resource.Id != nil {
		parts := strings.Split(*r.Resource.Id, ".")
		target, field = parts[len(parts)-1], r.Field+".id"
	}
	other, found := w.c.ctxs[target]
	if !found && w.c.unconverted[target] {
		// score-k8s converts a workload whatever became of the ones it
		// depends on; so does this, but says so (see dependencyWarnings).
		w.deps[target] = field
		host := names.Service(names.MaxLabel, target) + "." + target + ".svc"
		return &provision.Result{Outputs: map[string]provision.Output{"name": provision.Plain(host), "hostname": provision.Plain(host)}}
	}
	if !found {
		w.d.fatal(field, "depends on workload %q, which is not part of this claim; add it to the claim or remove the dependency (workloads of other claims are reached with a service-port resource)", target)
		return provision.FailedResult("service")
	}
	w.deps[target] = field
	if len(other.svc.ports) == 0 {
		w.d.warn(field, "workload %q publishes no service ports, so it has no Service and %s does not resolve", target, other.svc.host())
	}
	host := other.svc.host()
	return &provision.Result{Outputs: map[string]provision.Output{
		"name":     provision.Plain(host),
		"hostname": provision.Plain(host),
	}}
}

// dependencyWarnings warns, for each workload that converts, about every
// workload it depends on that does not: it is delivered all the same, and
// its status says what it waits for.
func (c *converter) dependencyWarnings(succeeded map[string]bool) {
	for _, name := range sortedKeys(c.ctxs) {
		w := c.ctxs[name]
		if !succeeded[name] {
			continue
		}
		for _, target := range sortedKeys(w.deps) {
			if succeeded[target] {
				continue
			}
			w.failedDeps = append(w.failedDeps, target)
			w.d.warn(w.deps[target], "depends on workload %q, which did not convert (see its own problems); this workload is delivered all the same, and reaches %q only once it converts", target, target)
		}
	}
}
