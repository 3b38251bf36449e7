// Package providerconfig builds the ProviderConfigs that let provider-helm
// and provider-kubernetes reach the new cluster, and optionally the
// provider-linode ProviderConfig.
package providerconfig

import (
	"github.com/platformcluster/function-platform-cluster/fn/compose"
)

// Composition resource names.
const (
	HelmKey       = "providerconfig-helm"
	KubernetesKey = "providerconfig-kubernetes"
	LinodeKey     = "providerconfig-linode"
)

// Name of the helm and kubernetes ProviderConfigs of an XR. They are of
// different kinds, so they share the XR's own name, which is unique.
func Name(xr string) string { return xr }

// LinodeName names the Linode ProviderConfig the function composes. It is
// per XR: a shared name such as "default" would be fought over by every XR.
func LinodeName(xr string) string { return compose.Name(xr, "linode") }

// SecretRef locates one key of a Secret.
type SecretRef struct {
	Name, Namespace, Key string
}

// Helm builds the provider-helm ProviderConfig that reads the new cluster's
// kubeconfig.
func Helm(o compose.Owner, kubeconfig SecretRef) compose.Resource {
	return build(o, "helm.crossplane.io/v1beta1", HelmKey, Name(o.XR), kubeconfig)
}

// Kubernetes builds the provider-kubernetes ProviderConfig that reads the
// new cluster's kubeconfig.
func Kubernetes(o compose.Owner, kubeconfig SecretRef) compose.Resource {
	return build(o, "kubernetes.crossplane.io/v1alpha1", KubernetesKey, Name(o.XR), kubeconfig)
}

// Linode builds the provider-linode ProviderConfig reading the API token.
func Linode(o compose.Owner, token SecretRef) compose.Resource {
	return build(o, "linode.upbound.io/v1beta1", LinodeKey, LinodeName(o.XR), token)
}

func build(o compose.Owner, apiVersion, key, name string, credentials SecretRef) compose.Resource {
	obj := compose.Object(apiVersion, "ProviderConfig", name)
	obj["spec"] = map[string]any{"credentials": secretCredentials(credentials)}
	o.Label(obj, "providerconfig")
	return compose.Resource{Key: key, Object: obj}
}

func secretCredentials(r SecretRef) map[string]any {
	return map[string]any{
		"source": "Secret",
		"secretRef": map[string]any{
			"name":      r.Name,
			"namespace": r.Namespace,
			"key":       r.Key,
		},
	}
}
