package fn

import (
	"encoding/base64"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/platformcluster/function-platform-cluster/fn/lke"
	"github.com/platformcluster/function-platform-cluster/fn/observed"
)

// kubeconfigRequirement is the required-resource key of the Secret the LKE
// Cluster writes its kubeconfig to.
const kubeconfigRequirement = "lke-kubeconfig"

// kubeconfigSelector asks Crossplane for the kubeconfig Secret itself. The
// ProviderConfigs read that Secret, so its existence, not only the Cluster's
// readiness, is what the next stage waits for. It also lets crossplane
// render, which cannot pass observed connection details, show every stage.
func kubeconfigSelector(xrName, namespace string) *fnv1.ResourceSelector {
	ns := namespace
	return &fnv1.ResourceSelector{
		ApiVersion: "v1",
		Kind:       "Secret",
		Match:      &fnv1.ResourceSelector_MatchName{MatchName: lke.KubeconfigSecretName(xrName)},
		Namespace:  &ns,
	}
}

// kubeconfig returns the new cluster's kubeconfig: the Cluster's observed
// connection detail, else the key in the Secret it was written to.
func kubeconfig(req *fnv1.RunFunctionRequest, obs observed.State) []byte {
	if kc, ok := obs.ConnectionDetail(lke.ClusterKey, lke.KubeconfigKey); ok {
		return kc
	}
	for _, s := range required(req, kubeconfigRequirement) {
		enc := s.GetResource().GetFields()["data"].GetStructValue().GetFields()[lke.KubeconfigKey].GetStringValue()
		if kc, err := base64.StdEncoding.DecodeString(enc); err == nil && len(kc) > 0 {
			return kc
		}
	}
	return nil
}

// required returns the items of a required resource from the current field,
// or from the deprecated extra resources field older Crossplane versions
// fill.
func required(req *fnv1.RunFunctionRequest, key string) []*fnv1.Resource {
	if rs, ok := req.GetRequiredResources()[key]; ok {
		return rs.GetItems()
	}
	return req.GetExtraResources()[key].GetItems()
}
