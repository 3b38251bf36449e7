// Package tenantspec holds the XPlatformTenant spec as the function reads
// it: its Go types, defaults and validation. Decoding is fn/spec's strict
// decoder (spec.DecodeAs), so field paths read as they do for a platform.
package tenantspec

import "github.com/platformcluster/function-platform-cluster/fn/spec"

// Spec is the spec of an XPlatformTenant: a tenant inside the cluster of a
// PlatformCluster.
type Spec struct {
	// ClusterRef names the PlatformCluster claim the tenant lives on.
	ClusterRef ClusterRef `json:"clusterRef"`
	// Namespaces are the tenant's; the first holds workloads that name
	// none. Defaults to one named after the tenant.
	Namespaces []string `json:"namespaces,omitempty"`
	Quota      *Quota   `json:"quota,omitempty"`
	Limits     *Limits  `json:"limits,omitempty"`
	Access     []Access `json:"access,omitempty"`
	// Host is the tenant's host; its workloads' hosts are under it.
	// Defaults to <tenant>.<the platform's domain>.
	Host      string     `json:"host,omitempty"`
	Workloads []Workload `json:"workloads,omitempty"`

	spec.CrossplaneFields
}

// ClusterRef names a PlatformCluster claim. Namespace defaults to the
// tenant claim's.
type ClusterRef struct {
	Name      string `json:"name"`
	Namespace string `json:"namespace,omitempty"`
}

// Quota is the ResourceQuota of each of the tenant's namespaces. CPU and
// memory bound both requests and limits; storage bounds volume claims'
// requests.
type Quota struct {
	CPU                    string `json:"cpu,omitempty"`
	Memory                 string `json:"memory,omitempty"`
	Storage                string `json:"storage,omitempty"`
	Pods                   *int64 `json:"pods,omitempty"`
	Services               *int64 `json:"services,omitempty"`
	PersistentVolumeClaims *int64 `json:"persistentVolumeClaims,omitempty"`
	ConfigMaps             *int64 `json:"configMaps,omitempty"`
	Secrets                *int64 `json:"secrets,omitempty"`
}

// Limits are the default limits and requests of a container that sets
// none (a LimitRange): with CPU and memory under quota, Kubernetes refuses
// pods that set neither.
type Limits struct {
	CPU           string `json:"cpu,omitempty"`
	Memory        string `json:"memory,omitempty"`
	RequestCPU    string `json:"requestCpu,omitempty"`
	RequestMemory string `json:"requestMemory,omitempty"`
}

// Access binds a user or group to a built-in ClusterRole in the tenant's
// namespaces.
type Access struct {
	Kind string `json:"kind"`
	Name string `json:"name"`
	Role string `json:"role"`
}

// Workload is one Score workload of the tenant.
type Workload struct {
	Name string `json:"name"`
	// Namespace is one of the tenant's; defaults to the first.
	Namespace string         `json:"namespace,omitempty"`
	Score     map[string]any `json:"score"`
}

// Subject kinds and roles a tenant may grant.
var (
	Kinds = []string{"Group", "User"}
	Roles = []string{"admin", "edit", "view"}
)
