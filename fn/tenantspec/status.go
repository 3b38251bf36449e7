package tenantspec

import "github.com/platformcluster/function-platform-cluster/fn/spec"

// Status is the status the function writes on an XPlatformTenant, as the
// XRD declares it; fn/tenant_status.go writes it.
type Status struct {
	// The PlatformCluster the tenant lives on, and whether the tenant can be composed on it.
	Platform *PlatformStatus `json:"platform,omitempty"`
	// The tenant's host; its workloads' hosts are under it.
	Host       string                `json:"host,omitempty"`
	Namespaces []NamespaceStatus     `json:"namespaces,omitempty"`
	Workloads  []spec.WorkloadStatus `json:"workloads,omitempty"`
}

// PlatformStatus is the platform a tenant lives on.
type PlatformStatus struct {
	Name      string `json:"name,omitempty"`
	Namespace string `json:"namespace,omitempty"`
	Ready     bool   `json:"ready,omitempty"`
	Message   string `json:"message,omitempty"`
}

// NamespaceStatus is one of the tenant's namespaces.
type NamespaceStatus struct {
	Name    string `json:"name,omitempty"`
	Ready   bool   `json:"ready,omitempty"`
	Message string `json:"message,omitempty"`
	// The quota's hard limits and usage as the cluster reports them.
	Quota *QuotaStatus `json:"quota,omitempty"`
}

// QuotaStatus is a ResourceQuota's status.
type QuotaStatus struct {
	Hard map[string]string `json:"hard,omitempty"`
	Used map[string]string `json:"used,omitempty"`
}
