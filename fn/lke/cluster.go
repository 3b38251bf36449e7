// Package lke builds the provider-linode LKE resources: the Cluster and the
// NodePools beyond its first pool.
package lke

import (
	"sort"

	"github.com/platformcluster/function-platform-cluster/fn/compose"
	"github.com/platformcluster/function-platform-cluster/fn/sorted"
	"github.com/platformcluster/function-platform-cluster/fn/spec"
)

// APIVersion of provider-linode's LKE resources.
const APIVersion = "lke.linode.upbound.io/v1alpha1"

// ClusterKey is the composition resource name of the LKE Cluster.
const ClusterKey = "cluster"

// KubeconfigKey is the connection detail provider-linode writes the
// decoded kubeconfig under.
const KubeconfigKey = "kubeconfig"

// ExternalPoolTag marks node pools managed as separate NodePools, so the
// Cluster's own pool list does not claim (and delete) them.
const ExternalPoolTag = "fpc-external-pool"

// Config is where the LKE resources are managed from.
type Config struct {
	// ProviderConfig is the provider-linode ProviderConfig's name.
	ProviderConfig string
	// SecretNamespace holds the Secret the Cluster writes its kubeconfig to.
	SecretNamespace string
}

// ClusterName is the metadata.name of the Cluster.
func ClusterName(xr string) string { return compose.Name(xr, "cluster") }

// KubeconfigSecretName names the Secret the Cluster writes its kubeconfig to.
// It must not be a name a claim would pick for its own connection secret.
func KubeconfigSecretName(xr string) string { return compose.Name(xr, "lke-kubeconfig") }

// Cluster builds the LKE Cluster. Its pool list holds only the first node
// pool; LKE requires at least one pool at creation, and keeping the others
// as NodePools lets them be added and removed without touching the cluster.
func Cluster(o compose.Owner, s *spec.ClusterSpec, c Config) compose.Resource {
	fp := map[string]any{
		"label":      s.ClusterName,
		"region":     s.Region,
		"k8sVersion": s.KubernetesVersion,
		"tags":       toAny(Tags(s)),
		"pool":       []any{pool(s.NodePools[0], false)},
		"controlPlane": []any{map[string]any{
			"highAvailability": s.HighAvailabilityEnabled(),
			"acl":              acl(s.ControlPlaneACL),
		}},
	}
	if len(s.NodePools) > 1 {
		fp["externalPoolTags"] = []any{ExternalPoolTag}
	}
	if s.Tier != "" {
		fp["tier"] = s.Tier
	}
	obj := compose.Object(APIVersion, "Cluster", ClusterName(o.XR))
	obj["spec"] = map[string]any{
		"forProvider":       fp,
		"providerConfigRef": map[string]any{"name": c.ProviderConfig},
		"writeConnectionSecretToRef": map[string]any{
			"name":      KubeconfigSecretName(o.XR),
			"namespace": c.SecretNamespace,
		},
	}
	compose.Annotate(obj, OwnPoolAnnotation, s.NodePools[0].Name)
	o.Label(obj, "lke")
	return compose.Resource{Key: ClusterKey, Object: obj}
}

// acl always states enabled explicitly, so turning the ACL off in the claim
// turns it off on the cluster rather than leaving the last value in place.
func acl(a *spec.ACL) []any {
	if a == nil {
		return []any{map[string]any{"enabled": false}}
	}
	out := map[string]any{"enabled": a.Enabled}
	if len(a.Addresses.IPv4)+len(a.Addresses.IPv6) > 0 {
		addr := map[string]any{}
		if len(a.Addresses.IPv4) > 0 {
			addr["ipv4"] = toAny(a.Addresses.IPv4)
		}
		if len(a.Addresses.IPv6) > 0 {
			addr["ipv6"] = toAny(a.Addresses.IPv6)
		}
		out["addresses"] = []any{addr}
	}
	return []any{out}
}

// Tags are the cluster's Linode tags: one key:value tag per label, then the
// claim's own tags, sorted and without duplicates.
func Tags(s *spec.ClusterSpec) []string {
	set := map[string]bool{}
	for k, v := range s.Labels {
		set[k+":"+v] = true
	}
	for _, t := range s.Tags {
		set[t] = true
	}
	return sorted.Keys(set)
}

// pool builds the shared shape of a pool; the Cluster calls the size field
// count, a NodePool calls it nodeCount.
func pool(np spec.NodePool, external bool) map[string]any {
	out := map[string]any{"type": np.Type}
	count := "count"
	if external {
		count = "nodeCount"
	}
	// An autoscaled pool without a count starts at its minimum. Leaving the
	// count out then matters: a count in desired state would be enforced
	// against the autoscaler on every reconcile.
	if np.Count != nil {
		out[count] = *np.Count
	}
	if a := np.Autoscaler; a != nil {
		out["autoscaler"] = []any{map[string]any{"min": a.Min, "max": a.Max}}
	}
	if len(np.Labels) > 0 {
		labels := map[string]any{}
		for k, v := range np.Labels {
			labels[k] = v
		}
		out["labels"] = labels
	}
	if len(np.Taints) > 0 {
		taints := make([]any, 0, len(np.Taints))
		for _, t := range np.Taints {
			taints = append(taints, map[string]any{"key": t.Key, "value": t.Value, "effect": t.Effect})
		}
		out["taint"] = taints
	}
	tags := append([]string{}, np.Tags...)
	if external {
		tags = append(tags, ExternalPoolTag)
	}
	if len(tags) > 0 {
		sort.Strings(tags)
		out["tags"] = toAny(tags)
	}
	return out
}

func toAny(s []string) []any {
	out := make([]any, len(s))
	for i := range s {
		out[i] = s[i]
	}
	return out
}
