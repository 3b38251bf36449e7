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
// the Object of each of the tenant's namespaces, to learn who holds them.
func tenantRequirements(s *tenantspec.Spec, p *tenant.Platform) *fnv1.Requirements {
	rs := map[string]*fnv1.ResourceSelector{
		platformRequirement: {
			ApiVersion: "platform.fpc.dev/v1alpha1",
			Kind:       "XPlatformCluster",
			Match: &fnv1.ResourceSelector_MatchLabels{MatchLabels: &fnv1.MatchLabels{Labels: map[string]string{
				claimNameLabel: s.ClusterRef.Name, claimNamespaceLabel: s.ClusterRef.Namespace,
			}}},
		},
	}
	if p != nil {
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

// holder is who holds a namespace Object: the controlling XR's name, and
// how to name it to a user.
type holder struct{ xr, who string }

// readPlatform reads the platform's XR, nil when Crossplane found none
// (or, ambiguously, more than one), and who holds each namespace Object.
func readPlatform(req *fnv1.RunFunctionRequest, s *tenantspec.Spec) (*tenant.Platform, map[string]holder) {
	items := required(req, platformRequirement)
	if len(items) != 1 {
		return nil, nil
	}
	p := tenant.Read(items[0].GetResource().AsMap())
	owners := map[string]holder{}
	for _, ns := range s.Namespaces {
		for _, o := range required(req, namespaceRequirement(ns)) {
			labels := o.GetResource().GetFields()["metadata"].GetStructValue().GetFields()["labels"].GetStructValue().GetFields()
			xr := labels[compositeLabel].GetStringValue()
			owner := "XPlatformTenant " + xr
			if c := labels[claimNameLabel].GetStringValue(); c != "" {
				owner = "PlatformTenant " + labels[claimNamespaceLabel].GetStringValue() + "/" + c + " (" + owner + ")"
			}
			if xr == "" {
				owner = "an Object no tenant composed"
			}
			owners[ns] = holder{xr: xr, who: owner}
		}
	}
	return &p, owners
}
