package fn

import (
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/platformcluster/function-platform-cluster/fn/object"
	"github.com/platformcluster/function-platform-cluster/fn/tenant"
)

// A tenant's hosts are published by its platform (fn/tenant/publish.go):
// the platform asks for its tenants' host locks and publishes their route
// hosts with its own; a tenant asks for its platform's Gateway to learn
// which listener serves each of its hosts.

// tenantHostsRequirement is the required-resource key of a platform's
// tenants' host locks.
const tenantHostsRequirement = "tenant-hosts"

// tenantHostsSelector asks for the host lock Objects of the platform's
// tenants.
func tenantHostsSelector(xrName string) *fnv1.ResourceSelector {
	return &fnv1.ResourceSelector{
		ApiVersion: object.APIVersion,
		Kind:       "Object",
		Match: &fnv1.ResourceSelector_MatchLabels{MatchLabels: &fnv1.MatchLabels{
			Labels: map[string]string{tenant.HostsLabel: tenant.HostsOf(xrName)},
		}},
	}
}

// readTenantHosts reads the route hosts the platform's tenants ask it to
// publish.
func readTenantHosts(req *fnv1.RunFunctionRequest) []string {
	items := required(req, tenantHostsRequirement)
	locks := make([]map[string]any, 0, len(items))
	for _, i := range items {
		locks = append(locks, i.GetResource().AsMap())
	}
	return tenant.Published(locks)
}

// gatewayRequirement is the required-resource key of the Object of a
// tenant's platform's Gateway.
const gatewayRequirement = "gateway"

func gatewaySelector(p *tenant.Platform) *fnv1.ResourceSelector {
	return &fnv1.ResourceSelector{
		ApiVersion: object.APIVersion,
		Kind:       "Object",
		Match:      &fnv1.ResourceSelector_MatchName{MatchName: tenant.GatewayObjectName(p.XR)},
	}
}

// readListeners maps each of the platform's HTTPS hosts to its listener,
// empty until Crossplane fetched the Gateway.
func readListeners(req *fnv1.RunFunctionRequest) map[string]string {
	for _, g := range required(req, gatewayRequirement) {
		return tenant.Listeners(g.GetResource().AsMap())
	}
	return map[string]string{}
}

// awaitsPublishing says whether a route host of the tenant has no HTTPS
// listener yet on a platform that serves HTTPS. The platform publishes it
// on its own next reconcile; the tenant is then called again soon rather
// than after a ready XR's minute, to attach the route and report https.
// The tenant is not held back: its workloads are served over plain HTTP
// meanwhile.
func (p *tenantPlan) awaitsPublishing() bool {
	if p.t.platform == nil || !p.t.platform.HTTPS {
		return false
	}
	for _, h := range p.routeHosts {
		if _, ok := p.t.listeners[h]; !ok {
			return true
		}
	}
	return false
}
