package fn

import (
	"encoding/base64"
	"fmt"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/platformcluster/function-platform-cluster/fn/addons"
	"github.com/platformcluster/function-platform-cluster/fn/lke"
	"github.com/platformcluster/function-platform-cluster/fn/object"
	"github.com/platformcluster/function-platform-cluster/fn/settings"
	"github.com/platformcluster/function-platform-cluster/fn/spec"
	"github.com/platformcluster/function-platform-cluster/fn/teardown"
	"github.com/platformcluster/function-platform-cluster/fn/workload"
)

// kubeconfigRequirement is the required-resource key of the Secret the LKE
// Cluster writes its kubeconfig to.
const kubeconfigRequirement = "lke-kubeconfig"

// harborAdminRequirement is the required-resource key of the Secret the
// Input names for Harbor's admin password.
const harborAdminRequirement = "harbor-admin-secret"

// volumesRequirement is the required-resource key of the volume
// collection's members.
const volumesRequirement = "teardown-volumes"

// scoreRequirement is the required-resource key of a referenced workload's
// ConfigMap: the resource as kubectl names it, because Crossplane names
// the key, and only the key, when it cannot read what the function
// requires ("fetching resources for configmap/demo-app: ...").
func scoreRequirement(name string) string { return "configmap/" + name }

// requirements are the resources the function needs Crossplane to fetch:
// the kubeconfig Secret, and the ConfigMap of every referenced workload.
// They are returned on every call: Crossplane fetches only what the latest
// response requires.
func requirements(s *spec.Spec, set settings.Settings, xrName, workloadNS string) *fnv1.Requirements {
	rs := map[string]*fnv1.ResourceSelector{
		// The ProviderConfigs read this Secret, so its existence, not only
		// the Cluster's readiness, is what the next stage waits for. It
		// also lets crossplane render, which cannot pass observed
		// connection details, show every stage.
		kubeconfigRequirement: selector("Secret", lke.KubeconfigSecretName(xrName), set.SecretNamespace),
		// The Objects provider-kubernetes keeps for every volume claim on
		// the new cluster, which the teardown guards are composed from.
		volumesRequirement: {
			ApiVersion: object.APIVersion,
			Kind:       "Object",
			Match: &fnv1.ResourceSelector_MatchLabels{MatchLabels: &fnv1.MatchLabels{
				Labels: map[string]string{teardown.MembershipLabel: teardown.CollectionName(xrName)},
			}},
		},
		// The host locks of the platform's tenants, whose hosts it
		// publishes (tenant_publish.go).
		tenantHostsRequirement: tenantHostsSelector(xrName),
	}
	if s.Components.Harbor.IsEnabled() && set.HarborAdminSecret != "" {
		rs[harborAdminRequirement] = selector("Secret", set.HarborAdminSecret, set.SecretNamespace)
	}
	if workloadNS != "" {
		for _, n := range referencedWorkloads(s) {
			rs[scoreRequirement(n)] = selector("ConfigMap", n, workloadNS)
		}
	}
	return &fnv1.Requirements{Resources: rs}
}

func selector(kind, name, namespace string) *fnv1.ResourceSelector {
	return &fnv1.ResourceSelector{
		ApiVersion: "v1",
		Kind:       kind,
		Match:      &fnv1.ResourceSelector_MatchName{MatchName: name},
		Namespace:  &namespace,
	}
}

func referencedWorkloads(s *spec.Spec) []string {
	if ua := s.Components.UserApps; ua != nil {
		return ua.Enabled
	}
	return nil
}

// fetched is what Crossplane fetched of the requirements, read from the
// request once so that nothing below package fn handles the request.
type fetched struct {
	// kubeconfig is the kubeconfig in the Cluster's connection Secret;
	// nil until the Secret holds one.
	kubeconfig []byte
	// scoreConfigMaps are the referenced workloads' ConfigMaps found.
	scoreConfigMaps workload.ConfigMaps
	// harborAdmin is what is wrong with the Secret the Input names for
	// Harbor's admin password; empty when it holds the key (or none is
	// named).
	harborAdmin string
	// volumes are the volume claims on the new cluster; nil when
	// Crossplane did not fetch them for this call.
	volumes *[]teardown.Volume
	// tenantHosts are the route hosts of the platform's tenants.
	tenantHosts []string
}

// readFetched reads the kubeconfig Secret and the ConfigMap of every
// workload s references.
func readFetched(req *fnv1.RunFunctionRequest, s *spec.Spec, set settings.Settings) fetched {
	var f fetched
	for _, r := range required(req, kubeconfigRequirement) {
		enc := r.GetResource().GetFields()["data"].GetStructValue().GetFields()[lke.KubeconfigKey].GetStringValue()
		if kc, err := base64.StdEncoding.DecodeString(enc); err == nil && len(kc) > 0 {
			f.kubeconfig = kc
			break
		}
	}
	f.harborAdmin = harborAdminProblem(req, s, set)
	f.tenantHosts = readTenantHosts(req)
	if members, ok := requiredItems(req, volumesRequirement); ok {
		vs := teardown.Volumes(members)
		f.volumes = &vs
	}
	for _, name := range referencedWorkloads(s) {
		items := required(req, scoreRequirement(name))
		if len(items) == 0 {
			continue
		}
		if f.scoreConfigMaps == nil {
			f.scoreConfigMaps = workload.ConfigMaps{}
		}
		// A value that is not a string reads as "", as a missing key does.
		data := map[string]string{}
		for k, v := range items[0].GetResource().GetFields()["data"].GetStructValue().GetFields() {
			data[k] = v.GetStringValue()
		}
		f.scoreConfigMaps[name] = data
	}
	return f
}

// harborAdminProblem checks the Secret the Input names for Harbor's admin
// password: it must exist on the control plane and hold the key, or Harbor
// would start without it. Its value is never read.
func harborAdminProblem(req *fnv1.RunFunctionRequest, s *spec.Spec, set settings.Settings) string {
	if !s.Components.Harbor.IsEnabled() || set.HarborAdminSecret == "" {
		return ""
	}
	where := fmt.Sprintf("Secret %s/%s (function Input harbor.adminSecretName)", set.SecretNamespace, set.HarborAdminSecret)
	items := required(req, harborAdminRequirement)
	if len(items) == 0 {
		return where + " not found; Harbor is not installed until it exists with key " + addons.HarborAdminKey
	}
	v := items[0].GetResource().GetFields()["data"].GetStructValue().GetFields()[addons.HarborAdminKey].GetStringValue()
	if v == "" {
		return where + " has no key " + addons.HarborAdminKey + " (or it is empty); Harbor is not installed until it has"
	}
	return ""
}

// required returns the items of a required resource from the current field,
// or from the deprecated extra resources field older Crossplane versions
// fill.
func required(req *fnv1.RunFunctionRequest, key string) []*fnv1.Resource {
	items, _ := requiredItems(req, key)
	return items
}

// requiredItems is required, and whether Crossplane answered the
// requirement at all.
func requiredItems(req *fnv1.RunFunctionRequest, key string) ([]*fnv1.Resource, bool) {
	if rs, ok := req.GetRequiredResources()[key]; ok {
		return rs.GetItems(), true
	}
	rs, ok := req.GetExtraResources()[key] //nolint:staticcheck // Older Crossplane versions fill only the deprecated field.
	return rs.GetItems(), ok
}
