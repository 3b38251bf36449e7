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
func Helm(xr string, kubeconfig SecretRef, labels map[string]string, cluster string) compose.Resource {
	return kubeconfigPC("helm.crossplane.io/v1beta1", HelmKey, xr, kubeconfig, labels, cluster)
}

// Kubernetes builds the provider-kubernetes ProviderConfig that reads the
// new cluster's kubeconfig.
func Kubernetes(xr string, kubeconfig SecretRef, labels map[string]string, cluster string) compose.Resource {
	return kubeconfigPC("kubernetes.crossplane.io/v1alpha1", KubernetesKey, xr, kubeconfig, labels, cluster)
}

func kubeconfigPC(apiVersion, key, xr string, kubeconfig SecretRef, labels map[string]string, cluster string) compose.Resource {
	obj := compose.Object(apiVersion, "ProviderConfig", Name(xr))
	obj["spec"] = map[string]any{"credentials": secretCredentials(kubeconfig)}
	compose.Labels(obj, labels, cluster, "providerconfig")
	return compose.Resource{Key: key, Object: obj}
}

// Linode builds the provider-linode ProviderConfig reading the API token.
func Linode(xr string, token SecretRef, labels map[string]string, cluster string) compose.Resource {
	obj := compose.Object("linode.upbound.io/v1beta1", "ProviderConfig", LinodeName(xr))
	obj["spec"] = map[string]any{"credentials": secretCredentials(token)}
	compose.Labels(obj, labels, cluster, "providerconfig")
	return compose.Resource{Key: LinodeKey, Object: obj}
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
