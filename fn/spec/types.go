// Package spec holds the XPlatformCluster spec as the function reads it:
// its Go types, strict decoding with field paths, defaulting and validation.
//
// The types are also the one source of the XRD's schema: go generate
// ./package/configuration writes package/configuration/xrd.yaml's
// openAPIV3Schema from them and the kubebuilder markers on them (defaults,
// enums, patterns, limits and CEL rules), and a test there fails when the
// committed XRD differs. A field's doc comment, up to a line "---", is its
// description in the XRD; what follows "---" is for Go readers only.
//
// +kubebuilder:validation:Optional
package spec

import (
	"github.com/platformcluster/function-platform-cluster/input/v1beta1"
)

// Spec is the spec of an XPlatformCluster.
type Spec struct {
	// +required
	ClusterSpec ClusterSpec `json:"clusterSpec"`
	Components  Components  `json:"components"`
	// Score workloads given inline.
	// +kubebuilder:validation:MaxItems=100
	Workloads []Workload `json:"workloads,omitempty"`
	// What happens to the cluster's Block Storage volumes when the claim is deleted. Delete (the default) deletes every volume of the cluster before the LKE cluster, so nothing stays billed. Keep keeps them at Linode (tagged with the claim) for you to attach elsewhere or delete. It can be changed at any time before deletion.
	// ---
	// VolumesDelete or VolumesKeep.
	// +kubebuilder:validation:Enum=Delete;Keep
	// +kubebuilder:default=Delete
	VolumesOnDelete string `json:"volumesOnDelete,omitempty"`
}

// ClusterSpec describes the LKE cluster.
type ClusterSpec struct {
	// Label of the LKE cluster. Lowercase letters, digits and dashes.
	// +required
	// +kubebuilder:validation:MinLength=3
	// +kubebuilder:validation:MaxLength=32
	// +kubebuilder:validation:Pattern=`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`
	ClusterName string `json:"clusterName"`
	// Linode region, e.g. us-ord.
	// +kubebuilder:default=us-ord
	Region string `json:"region,omitempty"`
	// LKE Kubernetes version as major.minor (LKE Enterprise also takes an exact build such as v1.33.4+lke1). It must be one LKE offers on the cluster's tier: the function Input lists them (defaults.kubernetesVersions).
	// +kubebuilder:default="1.36"
	// +kubebuilder:validation:Pattern=`^([0-9]+\.[0-9]+|v[0-9]+\.[0-9]+\.[0-9]+\+lke[0-9]+)$`
	KubernetesVersion string `json:"kubernetesVersion,omitempty"`
	// LKE tier.
	// +kubebuilder:validation:Enum=standard;enterprise
	Tier string `json:"tier,omitempty"`
	// Run a highly available control plane.
	// +kubebuilder:default=false
	HighAvailability *bool `json:"highAvailability,omitempty"`
	// Restrict access to the control plane to these addresses.
	ControlPlaneACL *ACL `json:"controlPlaneAcl,omitempty"`
	// The single default node pool (the short form). Ignored when nodePools is set.
	NodePool *SinglePool `json:"nodePool,omitempty"`
	// Node pools. The first becomes the cluster's default pool; the rest are separate NodePools.
	// +kubebuilder:validation:MaxItems=20
	NodePools []NodePool `json:"nodePools,omitempty"`
	// Labels describing the cluster; they become Linode tags (key:value). team is required.
	// +required
	// +kubebuilder:validation:XValidation:rule="has(self.team)",message="team is required: the owning team, used to tag the cluster"
	Labels map[string]string `json:"labels,omitempty"`
	// Extra Linode tags for the cluster.
	Tags []string `json:"tags,omitempty"`
}

// ACL restricts access to the control plane.
type ACL struct {
	// +kubebuilder:default=false
	Enabled   bool         `json:"enabled"`
	Addresses ACLAddresses `json:"addresses"`
}

// ACLAddresses are the CIDRs allowed to reach the control plane.
type ACLAddresses struct {
	IPv4 []string `json:"ipv4,omitempty"`
	IPv6 []string `json:"ipv6,omitempty"`
}

// SinglePool is the short form of a cluster's only node pool, which
// ApplyDefaults turns into the pool named DefaultPoolName.
type SinglePool struct {
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=100
	Count *int64 `json:"count,omitempty"`
	Type  string `json:"type,omitempty"`
}

// NodePool is one LKE node pool.
type NodePool struct {
	// +required
	// +kubebuilder:validation:Pattern=`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`
	// +kubebuilder:validation:MaxLength=20
	Name string `json:"name,omitempty"`
	// +required
	Type string `json:"type,omitempty"`
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=100
	Count      *int64            `json:"count,omitempty"`
	Autoscaler *Autoscaler       `json:"autoscaler,omitempty"`
	Labels     map[string]string `json:"labels,omitempty"`
	Taints     []Taint           `json:"taints,omitempty"`
	Tags       []string          `json:"tags,omitempty"`
}

// Autoscaler bounds a node pool's size.
type Autoscaler struct {
	// +required
	// +kubebuilder:validation:Minimum=1
	Min int64 `json:"min"`
	// +required
	// +kubebuilder:validation:Minimum=1
	Max int64 `json:"max"`
}

// Taint is a Kubernetes node taint.
type Taint struct {
	// +required
	Key string `json:"key"`
	// +required
	Value string `json:"value"`
	// +required
	// +kubebuilder:validation:Enum=NoSchedule;PreferNoSchedule;NoExecute
	Effect string `json:"effect"`
}

// Components toggles the platform's add-ons.
type Components struct {
	GatewayFabric *GatewayFabric `json:"gatewayFabric,omitempty"`
	UserApps      *UserApps      `json:"userApps,omitempty"`
	O11yStack     *O11y          `json:"o11yStack,omitempty"`
	Harbor        *Toggle        `json:"harbor,omitempty"`
	Headlamp      *Toggle        `json:"headlamp,omitempty"`
}

// GatewayFabric enables the default Gateway and, with a domain, publishes
// the platform's UIs and workloads under it.
type GatewayFabric struct {
	// +kubebuilder:default=false
	Enabled bool `json:"enabled"`
	// Base domain of the platform, e.g. platform.example.com. Grafana, Headlamp and Harbor are published at <name>.<domain>, and workload hosts under it get DNS records (and, with tls, certificates). The domain must be delegated to the DNS the platform manages (Linode's ns1-5.linode.com unless the platform team says otherwise).
	// +kubebuilder:validation:MaxLength=244
	Domain string `json:"domain,omitempty"`
	// HTTPS for every host under the domain, with Let's Encrypt certificates; plain HTTP redirects to it.
	TLS *TLS `json:"tls,omitempty"`
}

// TLS turns on HTTPS with ACME certificates for the platform's hosts.
type TLS struct {
	// Contact of the ACME account that requests the certificates.
	// +required
	Email string `json:"email"`
}

// Toggle enables a component.
type Toggle struct {
	// +kubebuilder:default=false
	Enabled bool `json:"enabled"`
}

// UserApps names the Score workloads kept in ConfigMaps.
type UserApps struct {
	// Names of Score workloads, each a ConfigMap (key score.yaml) in the claim's namespace.
	// +kubebuilder:validation:MaxItems=100
	// +kubebuilder:validation:items:Pattern=`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`
	// +kubebuilder:validation:items:MaxLength=63
	Enabled []string `json:"enabled,omitempty"`
	// Base domain for workload host names.
	Domain string `json:"domain,omitempty"`
	// Deploy-time values of the workloads enabled names, by workload name.
	// +kubebuilder:validation:MaxProperties=100
	Deploy map[string]Deploy `json:"deploy,omitempty"`
}

// O11y enables the observability stack and each of its parts.
type O11y struct {
	// +kubebuilder:default=false
	Enabled bool `json:"enabled"`
	// +kubebuilder:default=true
	Loki *bool `json:"loki,omitempty"`
	// +kubebuilder:default=true
	Tempo *bool `json:"tempo,omitempty"`
	// +kubebuilder:default=true
	Grafana *bool `json:"grafana,omitempty"`
	// +kubebuilder:default=true
	Alloy *bool `json:"alloy,omitempty"`
}

// Workload is a Score workload given inline, with its deploy-time values
// (the fields of Deploy).
type Workload struct {
	// +required
	// +kubebuilder:validation:Pattern=`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`
	// +kubebuilder:validation:MaxLength=63
	Name string `json:"name"`
	// A Score (score.dev/v1b1) workload spec.
	// +required
	// +kubebuilder:validation:Schemaless
	// +kubebuilder:validation:Type=object
	// +kubebuilder:pruning:PreserveUnknownFields
	Score map[string]any `json:"score"`
	// The image of every container whose Score image is "." (as score-k8s generate --image). Never replaces a named image.
	// +kubebuilder:validation:MaxLength=512
	Image string `json:"image,omitempty"`
	// Images by container name; each replaces that container's Score image, "." or named.
	// +kubebuilder:validation:MaxProperties=50
	Containers map[string]ContainerImage `json:"containers,omitempty"`
	// Outputs of the workload's Score environment resources, by name; they take precedence over the function Input's workloads.environment. Exactly one of value and secretKeyRef each; a secret goes by secretKeyRef, never as a value.
	// +kubebuilder:validation:MaxProperties=200
	Environment map[string]EnvValue `json:"environment,omitempty"`
}

// Deploy is what a Score file leaves to whoever deploys it.
type Deploy struct {
	// The image of every container whose Score image is "." (as score-k8s generate --image). Never replaces a named image.
	// +kubebuilder:validation:MaxLength=512
	Image string `json:"image,omitempty"`
	// Images by container name; each replaces that container's Score image, "." or named.
	// +kubebuilder:validation:MaxProperties=50
	Containers map[string]ContainerImage `json:"containers,omitempty"`
	// Outputs of the workload's Score environment resources, by name; they take precedence over the function Input's workloads.environment. Exactly one of value and secretKeyRef each; a secret goes by secretKeyRef, never as a value.
	// +kubebuilder:validation:MaxProperties=200
	Environment map[string]EnvValue `json:"environment,omitempty"`
}

// Deploy returns the workload's deploy-time values.
func (w Workload) Deploy() Deploy {
	return Deploy{Image: w.Image, Containers: w.Containers, Environment: w.Environment}
}

// ContainerImage is the image of one container.
type ContainerImage struct {
	// +required
	// +kubebuilder:validation:MaxLength=512
	Image string `json:"image"`
}

// EnvValue is one value of an environment resource: plain text, or a key
// of a Secret in the workload's namespace on the new cluster. It is the
// function Input's type, so both are read alike.
type EnvValue = v1beta1.EnvironmentValue
