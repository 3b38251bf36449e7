package fn

import (
	"fmt"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/resource"
	"github.com/crossplane/function-sdk-go/response"

	"github.com/platformcluster/function-platform-cluster/fn/addons"
	"github.com/platformcluster/function-platform-cluster/fn/lke"
)

// writeStatus reports the cluster and each component on the XR, and passes
// the kubeconfig on as the XR's connection detail. The kubeconfig never goes
// into status: Crossplane writes connection details only to the Secret the
// claim names.
func (p *platform) writeStatus(dxr *resource.Composite) error {
	cluster := map[string]any{"ready": p.cluster.ready}
	for k, v := range map[string]string{
		"id": p.cluster.id, "status": p.cluster.status,
		"endpoint": p.cluster.endpoint, "kubernetesVersion": p.cluster.version,
	} {
		if v != "" {
			cluster[k] = v
		}
	}
	if err := dxr.Resource.SetValue("status.cluster", cluster); err != nil {
		return err
	}
	if len(p.addresses) > 0 {
		if err := dxr.Resource.SetValue("status.gateway", map[string]any{"address": p.addresses[0]}); err != nil {
			return err
		}
	}
	if p.gatewayAPICRDs != "" {
		if err := dxr.Resource.SetValue("status."+addons.CRDsStatusField, p.gatewayAPICRDs); err != nil {
			return err
		}
	}
	components := map[string]any{}
	for _, name := range p.componentNames() {
		c := p.components[name]
		st := map[string]any{"ready": c.ready}
		if c.message != "" {
			st["message"] = c.message
		}
		if c.url != "" {
			st["url"] = c.url
		}
		components[name] = st
	}
	if err := dxr.Resource.SetValue("status.components", components); err != nil {
		return err
	}
	if err := p.writeWorkloads(dxr); err != nil {
		return err
	}
	if len(p.kubeconfig) > 0 {
		if dxr.ConnectionDetails == nil {
			dxr.ConnectionDetails = resource.ConnectionDetails{}
		}
		dxr.ConnectionDetails[lke.KubeconfigKey] = p.kubeconfig
	}
	// Crossplane would call the XR ready once everything composed so far is
	// ready, even while later stages are still held back.
	if len(p.waiting) > 0 {
		dxr.Ready = resource.ReadyFalse
	}
	return p.writeTeardown(dxr)
}

// writeWorkloads reports each workload's readiness, URL and message.
func (p *platform) writeWorkloads(dxr *resource.Composite) error {
	if len(p.workloads) == 0 {
		return nil
	}
	ws := make([]any, 0, len(p.workloads))
	for _, w := range p.workloads {
		st := map[string]any{"name": w.name, "ready": w.ready}
		if w.url != "" {
			st["url"] = w.url
		}
		if w.message != "" {
			st["message"] = w.message
		}
		ws = append(ws, st)
	}
	return dxr.Resource.SetValue("status.workloads", ws)
}

// setConditions summarises progress as conditions on the XR and claim.
func (p *platform) setConditions(rsp *fnv1.RunFunctionResponse) {
	if p.cluster.ready {
		response.ConditionTrue(rsp, ConditionClusterReady, "Available").
			WithMessage("LKE cluster is ready and its kubeconfig is published").TargetCompositeAndClaim()
	} else {
		msg := "waiting for the LKE cluster to become ready and publish its kubeconfig"
		if p.cluster.status != "" {
			msg += " (Linode status: " + p.cluster.status + ")"
		}
		response.ConditionFalse(rsp, ConditionClusterReady, "Creating").WithMessage(msg).TargetCompositeAndClaim()
	}

	p.setWorkloadsCondition(rsp)
	p.setPublishingConditions(rsp)

	if len(p.components) == 0 {
		response.ConditionTrue(rsp, ConditionAddonsReady, "NoneEnabled").
			WithMessage("no add-ons are enabled").TargetCompositeAndClaim()
		return
	}
	var g progress
	for _, name := range p.componentNames() {
		g.addNamed(name, p.components[name].readiness)
	}
	g.condition(rsp, ConditionAddonsReady, "Installing", "all enabled add-ons are ready")
}

func (p *platform) setWorkloadsCondition(rsp *fnv1.RunFunctionResponse) {
	if len(p.workloads) == 0 {
		return
	}
	var g progress
	for _, w := range p.workloads {
		g.addNamed(w.name, w.readiness)
	}
	g.condition(rsp, ConditionWorkloadsReady, "Deploying", "all workloads are ready")
}

// setPublishingConditions says whether the platform's DNS records exist and
// its certificates are issued, for a platform published under a domain.
func (p *platform) setPublishingConditions(rsp *fnv1.RunFunctionResponse) {
	if p.dns != nil {
		p.dns.condition(rsp, ConditionDNSReady, "Creating",
			fmt.Sprintf("the DNS records of %s point at the Gateway (%s)", p.domain, join(p.addresses)))
	}
	if p.certs != nil {
		p.certs.condition(rsp, ConditionCertificatesReady, "Issuing",
			fmt.Sprintf("%d certificates issued for the hosts of %s", p.certs.total, p.domain))
	}
}
