package compose

// Owner is what every composed resource of one XR carries: names derive
// from the XR's name, labels from its labels and the cluster it builds.
type Owner struct {
	// XR is the composite resource's name.
	XR string
	// Cluster is the claim's cluster name, the value of LabelCluster.
	Cluster string
	// Labels are the XR labels composed resources inherit
	// (InheritedLabels).
	Labels map[string]string
	// ProviderConfig is the provider-kubernetes ProviderConfig its Objects
	// reach the cluster through; empty for the XR's own (a platform's).
	// A tenant's Objects use the platform's it lives on.
	ProviderConfig string
}

// Name derives a composed resource's name from the XR's.
func (o Owner) Name(suffix string) string { return Name(o.XR, suffix) }

// Label sets the function's labels on obj: those inherited from the XR, the
// cluster label and the component. No XR annotation is ever copied, because
// Argo CD's annotation tracking lives in argocd.argoproj.io/tracking-id.
func (o Owner) Label(obj map[string]any, component string) {
	labels := metadataMap(obj, "labels")
	for k, v := range o.Labels {
		labels[k] = v
	}
	labels[LabelCluster] = o.Cluster
	if component != "" {
		labels[LabelComponent] = component
	}
}
