package fn

import (
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/resource"

	"github.com/platformcluster/function-platform-cluster/fn/settings"
	"github.com/platformcluster/function-platform-cluster/fn/spec"
	"github.com/platformcluster/function-platform-cluster/fn/workload"
)

// requirements are the resources the function needs Crossplane to fetch:
// the kubeconfig Secret, and the ConfigMap of every referenced workload.
func requirements(s *spec.Spec, set settings.Settings, xr *resource.Composite) *fnv1.Requirements {
	rs := map[string]*fnv1.ResourceSelector{
		kubeconfigRequirement: kubeconfigSelector(xr.Resource.GetName(), set.SecretNamespace),
	}
	if ua := s.Components.UserApps; ua != nil && len(ua.Enabled) > 0 {
		if ns := workloadNamespace(set, xr.Resource.GetLabels()); ns != "" {
			for k, v := range workload.Requirements(ua.Enabled, ns) {
				rs[k] = v
			}
		}
	}
	return &fnv1.Requirements{Resources: rs}
}
