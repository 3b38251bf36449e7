package fn

import (
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/platformcluster/function-platform-cluster/fn/object"
	"github.com/platformcluster/function-platform-cluster/fn/tenant"
	"github.com/platformcluster/function-platform-cluster/fn/tenantspec"
)

// platformRequirement is the required-resource key of the XR of the
// PlatformCluster a tenant lives on.
const platformRequirement = "platform"

// namespaceRequirement is the required-resource key of the Object that
// holds one of a tenant's namespaces on its platform, whoever composed it.
func namespaceRequirement(ns string) string { return "namespace-" + ns }

// tenantRequirements asks for the platform's XR, found by the labels
// Crossplane puts on an XR bound to a claim, and, once it is found, for
// the Object of each of the tenant's namespaces, to learn who holds them,
// and for its Gateway's Object, to learn its listeners.
func tenantRequirements(s *tenantspec.Spec, p *tenant.Platform, host string) *fnv1.Requirements {
	rs := map[string]*fnv1.ResourceSelector{
		platformRequirement: {
			ApiVersion: "platform.fpc.dev/v1alpha1",
			Kind:       "XPlatformCluster",
			Match: &fnv1.ResourceSelector_MatchLabels{MatchLabels: &fnv1.MatchLabels{Labels: map[string]string{
				claimNameLabel: s.ClusterRef.Name, claimNamespaceLabel: s.ClusterRef.Namespace,
			}}},
		},
	}
	if p != nil && host != "" {
		rs[hostRequirement] = &fnv1.ResourceSelector{
			ApiVersion: object.APIVersion,
			Kind:       "Object",
			Match:      &fnv1.ResourceSelector_MatchName{MatchName: tenant.HostObjectName(p.XR, host)},
		}
	}
	if p != nil {
		rs[gatewayRequirement] = gatewaySelector(p)
		for _, ns := range s.Namespaces {
			rs[namespaceRequirement(ns)] = &fnv1.ResourceSelector{
				ApiVersion: object.APIVersion,
				Kind:       "Object",
				Match:      &fnv1.ResourceSelector_MatchName{MatchName: tenant.NamespaceObjectName(p.XR, ns)},
			}
		}
	}
	return &fnv1.Requirements{Resources: rs}
}

// holder is who holds a namespace's or host's Object: the controlling
// XR's name, and how to name it to a user.
type holder struct{ xr, who string }

// hostRequirement is the required-resource key of the Object that holds
// the tenant's host on its platform.
const hostRequirement = "host"

// readPlatform reads the platform's XR, nil when Crossplane found none
// (or, ambiguously, more than one).
func readPlatform(req *fnv1.RunFunctionRequest) *tenant.Platform {
	items := required(req, platformRequirement)
	if len(items) != 1 {
		return nil
	}
	p := tenant.Read(items[0].GetResource().AsMap())
	return &p
}

// readHolders reads who holds each of the tenant's namespaces, and its
// host, by key ("namespace-<ns>", "host"); what no one holds is absent.
func readHolders(req *fnv1.RunFunctionRequest, s *tenantspec.Spec) map[string]holder {
	out := map[string]holder{}
	keys := []string{hostRequirement}
	for _, ns := range s.Namespaces {
		keys = append(keys, namespaceRequirement(ns))
	}
	for _, k := range keys {
		for _, o := range required(req, k) {
			labels := o.GetResource().GetFields()["metadata"].GetStructValue().GetFields()["labels"].GetStructValue().GetFields()
			xr := labels[compositeLabel].GetStringValue()
			who := "XPlatformTenant " + xr
			if c := labels[claimNameLabel].GetStringValue(); c != "" {
				who = "PlatformTenant " + labels[claimNamespaceLabel].GetStringValue() + "/" + c + " (" + who + ")"
			}
			if xr == "" {
				who = "an Object no tenant composed"
			}
			out[k] = holder{xr: xr, who: who}
		}
	}
	return out
}
