package spec

// Status is the status the function writes on an XPlatformCluster, as the
// XRD declares it; fn/status.go and fn/teardown.go write it.
type Status struct {
	Cluster *ClusterStatus `json:"cluster,omitempty"`
	// The default Gateway, once programmed.
	Gateway *GatewayStatus `json:"gateway,omitempty"`
	// The installer Job (gateway-api-crds-<version>-<hash>) that put the Gateway API CRDs on the new cluster. While it names the current installer, the installer is not composed.
	GatewayAPICRDs string `json:"gatewayAPICRDs,omitempty"`
	// Readiness of each enabled component.
	Components map[string]ComponentStatus `json:"components,omitempty"`
	Workloads  []WorkloadStatus           `json:"workloads,omitempty"`
	// What deleting the claim deletes, and waits for, before the LKE cluster is deleted (kept as it was while the claim is being deleted).
	Teardown *TeardownStatus `json:"teardown,omitempty"`
}

// ClusterStatus is what the LKE Cluster reports.
type ClusterStatus struct {
	ID                string `json:"id,omitempty"`
	Status            string `json:"status,omitempty"`
	Endpoint          string `json:"endpoint,omitempty"`
	KubernetesVersion string `json:"kubernetesVersion,omitempty"`
	Ready             bool   `json:"ready,omitempty"`
}

// GatewayStatus is the default Gateway's address.
type GatewayStatus struct {
	// Where the platform's DNS names must point.
	Address string `json:"address,omitempty"`
}

// ComponentStatus is one component's readiness.
type ComponentStatus struct {
	Ready   bool   `json:"ready,omitempty"`
	Message string `json:"message,omitempty"`
	// Where the component's UI is published, under the platform's domain.
	URL string `json:"url,omitempty"`
}

// WorkloadStatus is one Score workload's readiness and address. A
// PlatformTenant reports its workloads alike.
type WorkloadStatus struct {
	Name    string `json:"name,omitempty"`
	Ready   bool   `json:"ready,omitempty"`
	URL     string `json:"url,omitempty"`
	Message string `json:"message,omitempty"`
}

// TeardownStatus is what deleting the claim waits for.
type TeardownStatus struct {
	VolumesOnDelete string `json:"volumesOnDelete,omitempty"`
	// The cluster's volumes could not be read on the last reconcile.
	VolumesUnknown bool           `json:"volumesUnknown,omitempty"`
	Volumes        []VolumeStatus `json:"volumes,omitempty"`
	// LoadBalancer Services (namespace/name) whose NodeBalancers are deleted first.
	LoadBalancers []string `json:"loadBalancers,omitempty"`
}

// VolumeStatus is one volume teardown deletes.
type VolumeStatus struct {
	// The PersistentVolumeClaim, namespace/name.
	Claim string `json:"claim,omitempty"`
	// The PersistentVolume bound to it (the Linode volume's label ends with it).
	Volume string `json:"volume,omitempty"`
}
