package fn

import (
	"github.com/crossplane/function-sdk-go/errors"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/resource"
	"github.com/crossplane/function-sdk-go/response"
)

// respond writes the tenant's composed resources, status and conditions.
func (p *tenantPlan) respond(st state, rsp *fnv1.RunFunctionResponse) error {
	if err := p.setDesired(st, rsp); err != nil {
		return err
	}
	if err := p.writeTenantStatus(st.desiredXR); err != nil {
		return errors.Wrap(err, "cannot write XR status")
	}
	if err := response.SetDesiredCompositeResource(rsp, st.desiredXR); err != nil {
		return errors.Wrap(err, "cannot set desired XR")
	}
	p.setTenantConditions(rsp)
	return nil
}

// writeTenantStatus reports the platform, the namespaces with their quota
// and the workloads with their URLs.
func (p *tenantPlan) writeTenantStatus(dxr *resource.Composite) error {
	ref := p.t.spec.ClusterRef
	pl := map[string]any{"name": ref.Name, "namespace": ref.Namespace, "ready": p.held == ""}
	if p.held != "" {
		pl["message"] = p.held
	}
	if err := dxr.Resource.SetValue("status.platform", pl); err != nil {
		return err
	}
	if p.host != "" {
		if err := dxr.Resource.SetValue("status.host", p.host); err != nil {
			return err
		}
	}
	nss := make([]any, 0, len(p.namespaces))
	for _, n := range p.namespaces {
		m := map[string]any{"name": n.name, "ready": n.ready}
		if n.message != "" {
			m["message"] = n.message
		}
		if n.quota != nil {
			m["quota"] = n.quota
		}
		nss = append(nss, m)
	}
	if err := dxr.Resource.SetValue("status.namespaces", nss); err != nil {
		return err
	}
	if err := p.writeWorkloads(dxr); err != nil {
		return err
	}
	if len(p.waiting) > 0 {
		dxr.Ready = resource.ReadyFalse
	}
	return nil
}

// setTenantConditions: ClusterReady for the platform the tenant lives on,
// NamespacesReady, and WorkloadsReady as a platform's.
func (p *tenantPlan) setTenantConditions(rsp *fnv1.RunFunctionResponse) {
	ref := p.t.spec.ClusterRef
	if p.held == "" {
		response.ConditionTrue(rsp, ConditionClusterReady, "Available").
			WithMessage("PlatformCluster " + ref.Namespace + "/" + ref.Name + " is ready").TargetCompositeAndClaim()
	} else {
		response.ConditionFalse(rsp, ConditionClusterReady, "Waiting").WithMessage(p.held).TargetCompositeAndClaim()
	}
	if len(p.namespaces) == 0 {
		response.ConditionFalse(rsp, ConditionNamespacesReady, "Waiting").
			WithMessage("nothing is composed: " + p.held).TargetCompositeAndClaim()
	} else {
		var g progress
		for _, n := range p.namespaces {
			g.addNamed(n.name, n.readiness)
		}
		g.condition(rsp, ConditionNamespacesReady, "Creating",
			"the tenant's namespaces, quotas, limits, network policies and role bindings are in place")
	}
	p.setWorkloadsCondition(rsp)
}
