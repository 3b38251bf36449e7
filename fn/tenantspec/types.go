// Package tenantspec holds the XPlatformTenant spec as the function reads
// it: its Go types, defaults and validation. Decoding is fn/spec's strict
// decoder (spec.DecodeAs), so field paths read as they do for a platform.
//
// As fn/spec's are for xrd.yaml, the types are the one source of
// package/configuration/tenant-xrd.yaml's schema (go generate
// ./package/configuration): a field's doc comment, up to a line "---", is
// its description there.
//
// +kubebuilder:validation:Optional
package tenantspec

// Spec is the spec of an XPlatformTenant: a tenant inside the cluster of a
// PlatformCluster.
type Spec struct {
	// The PlatformCluster claim the tenant lives on.
	// +required
	ClusterRef ClusterRef `json:"clusterRef"`
	// The tenant's namespaces on the platform's cluster; defaults to one named after the tenant. The first holds workloads that name none.
	// +kubebuilder:validation:MaxItems=20
	// +kubebuilder:validation:items:MaxLength=63
	Namespaces []string `json:"namespaces,omitempty"`
	// The ResourceQuota of each of the tenant's namespaces. LoadBalancer and NodePort Services are always 0.
	Quota *Quota `json:"quota,omitempty"`
	// Default limits and requests of containers that set none (a LimitRange).
	Limits *Limits `json:"limits,omitempty"`
	// Users and groups bound to a built-in ClusterRole in the tenant's namespaces only.
	// +kubebuilder:validation:MaxItems=100
	Access []Access `json:"access,omitempty"`
	// The tenant's host; its workloads' hosts must be under it. Defaults to <tenant>.<the platform's domain>.
	Host string `json:"host,omitempty"`
	// Score workloads, delivered into the tenant's namespaces.
	// +kubebuilder:validation:MaxItems=100
	Workloads []Workload `json:"workloads,omitempty"`
}

// ClusterRef names a PlatformCluster claim.
type ClusterRef struct {
	// +required
	// +kubebuilder:validation:MinLength=1
	Name string `json:"name"`
	// Defaults to the tenant claim's namespace.
	Namespace string `json:"namespace,omitempty"`
}

// Quota is the ResourceQuota of each of the tenant's namespaces. CPU and
// memory bound both requests and limits; storage bounds volume claims'
// requests.
type Quota struct {
	// Requests and limits, e.g. "4" (default 4).
	CPU string `json:"cpu,omitempty"`
	// Requests and limits, e.g. 8Gi (default).
	Memory string `json:"memory,omitempty"`
	// Volume claims' requests, e.g. 50Gi (default).
	Storage string `json:"storage,omitempty"`
	// Default 50.
	Pods *int64 `json:"pods,omitempty"`
	// Default 20.
	Services *int64 `json:"services,omitempty"`
	// Default 10.
	PersistentVolumeClaims *int64 `json:"persistentVolumeClaims,omitempty"`
	// Default 50.
	ConfigMaps *int64 `json:"configMaps,omitempty"`
	// Default 50.
	Secrets *int64 `json:"secrets,omitempty"`
}

// Limits are the default limits and requests of a container that sets
// none (a LimitRange): with CPU and memory under quota, Kubernetes refuses
// pods that set neither.
type Limits struct {
	// Default 500m.
	CPU string `json:"cpu,omitempty"`
	// Default 512Mi.
	Memory string `json:"memory,omitempty"`
	// Default 100m.
	RequestCPU string `json:"requestCpu,omitempty"`
	// Default 128Mi.
	RequestMemory string `json:"requestMemory,omitempty"`
}

// Access binds a user or group to a built-in ClusterRole in the tenant's
// namespaces.
type Access struct {
	// User or Group.
	Kind string `json:"kind"`
	Name string `json:"name"`
	// admin, edit or view.
	Role string `json:"role"`
}

// Workload is one Score workload of the tenant.
type Workload struct {
	// +required
	// +kubebuilder:validation:Pattern=`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`
	// +kubebuilder:validation:MaxLength=63
	Name string `json:"name"`
	// One of the tenant's namespaces; defaults to the first.
	Namespace string `json:"namespace,omitempty"`
	// A Score (score.dev/v1b1) workload spec.
	// +required
	// +kubebuilder:validation:Schemaless
	// +kubebuilder:validation:Type=object
	// +kubebuilder:pruning:PreserveUnknownFields
	Score map[string]any `json:"score"`
}

// Subject kinds and roles a tenant may grant.
var (
	Kinds = []string{"Group", "User"}
	Roles = []string{"admin", "edit", "view"}
)
