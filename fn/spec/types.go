// Package spec holds the XPlatformCluster spec as the function reads it:
// its Go types, strict decoding with field paths, defaulting and validation.
package spec

import (
	"encoding/json"

	"github.com/platformcluster/function-platform-cluster/input/v1beta1"
)

// Spec is the spec of an XPlatformCluster.
type Spec struct {
	ClusterSpec ClusterSpec `json:"clusterSpec"`
	Components  Components  `json:"components"`
	Workloads   []Workload  `json:"workloads,omitempty"`
	// VolumesOnDelete says what happens to the cluster's volumes when the
	// claim is deleted: VolumesDelete (the default) or VolumesKeep.
	VolumesOnDelete string `json:"volumesOnDelete,omitempty"`

	CrossplaneFields
}

// CrossplaneFields are the fields Crossplane owns on a LegacyCluster XR's
// spec. They are accepted so strict decoding does not reject them, and
// never read; every XR spec type embeds them.
type CrossplaneFields struct {
	CompositionRef              json.RawMessage `json:"compositionRef,omitempty"`
	CompositionRevisionRef      json.RawMessage `json:"compositionRevisionRef,omitempty"`
	CompositionRevisionSelector json.RawMessage `json:"compositionRevisionSelector,omitempty"`
	CompositionSelector         json.RawMessage `json:"compositionSelector,omitempty"`
	CompositionUpdatePolicy     json.RawMessage `json:"compositionUpdatePolicy,omitempty"`
	ClaimRef                    json.RawMessage `json:"claimRef,omitempty"`
	ResourceRefs                json.RawMessage `json:"resourceRefs,omitempty"`
	WriteConnectionSecretToRef  json.RawMessage `json:"writeConnectionSecretToRef,omitempty"`
	PublishConnectionDetailsTo  json.RawMessage `json:"publishConnectionDetailsTo,omitempty"`
	EnvironmentConfigRefs       json.RawMessage `json:"environmentConfigRefs,omitempty"`
	Crossplane                  json.RawMessage `json:"crossplane,omitempty"`
}

// ClusterSpec describes the LKE cluster.
type ClusterSpec struct {
	ClusterName       string            `json:"clusterName"`
	Region            string            `json:"region,omitempty"`
	KubernetesVersion string            `json:"kubernetesVersion,omitempty"`
	Tier              string            `json:"tier,omitempty"`
	HighAvailability  *bool             `json:"highAvailability,omitempty"`
	ControlPlaneACL   *ACL              `json:"controlPlaneAcl,omitempty"`
	NodePool          *NodePool         `json:"nodePool,omitempty"`
	NodePools         []NodePool        `json:"nodePools,omitempty"`
	Labels            map[string]string `json:"labels,omitempty"`
	Tags              []string          `json:"tags,omitempty"`
}

// ACL restricts access to the control plane.
type ACL struct {
	Enabled   bool         `json:"enabled"`
	Addresses ACLAddresses `json:"addresses"`
}

// ACLAddresses are the CIDRs allowed to reach the control plane.
type ACLAddresses struct {
	IPv4 []string `json:"ipv4,omitempty"`
	IPv6 []string `json:"ipv6,omitempty"`
}

// NodePool is one LKE node pool.
type NodePool struct {
	Name       string            `json:"name,omitempty"`
	Type       string            `json:"type,omitempty"`
	Count      *int64            `json:"count,omitempty"`
	Autoscaler *Autoscaler       `json:"autoscaler,omitempty"`
	Labels     map[string]string `json:"labels,omitempty"`
	Taints     []Taint           `json:"taints,omitempty"`
	Tags       []string          `json:"tags,omitempty"`
}

// Autoscaler bounds a node pool's size.
type Autoscaler struct {
	Min int64 `json:"min"`
	Max int64 `json:"max"`
}

// Taint is a Kubernetes node taint.
type Taint struct {
	Key    string `json:"key"`
	Value  string `json:"value"`
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
	Enabled bool `json:"enabled"`
	// Domain is the platform's base domain: the UIs are served at
	// <ui>.<domain>, and workload hosts under it get DNS records and,
	// with TLS, certificates.
	Domain string `json:"domain,omitempty"`
	TLS    *TLS   `json:"tls,omitempty"`
}

// TLS turns on HTTPS with ACME certificates for the platform's hosts.
type TLS struct {
	// Email is the ACME account's contact.
	Email string `json:"email"`
}

// Toggle enables a component.
type Toggle struct {
	Enabled bool `json:"enabled"`
}

// UserApps names the Score workloads kept in ConfigMaps.
type UserApps struct {
	Enabled []string `json:"enabled,omitempty"`
	Domain  string   `json:"domain,omitempty"`
	// Deploy gives deploy-time values by workload name, for the workloads
	// Enabled names.
	Deploy map[string]Deploy `json:"deploy,omitempty"`
}

// O11y enables the observability stack and each of its parts.
type O11y struct {
	Enabled bool  `json:"enabled"`
	Loki    *bool `json:"loki,omitempty"`
	Tempo   *bool `json:"tempo,omitempty"`
	Grafana *bool `json:"grafana,omitempty"`
	Alloy   *bool `json:"alloy,omitempty"`
}

// Workload is a Score workload given inline, with its deploy-time values
// (the fields of Deploy).
type Workload struct {
	Name        string                    `json:"name"`
	Score       map[string]any            `json:"score"`
	Image       string                    `json:"image,omitempty"`
	Containers  map[string]ContainerImage `json:"containers,omitempty"`
	Environment map[string]EnvValue       `json:"environment,omitempty"`
}

// Deploy is what a Score file leaves to whoever deploys it.
type Deploy struct {
	// Image fills every container whose Score image is ".".
	Image string `json:"image,omitempty"`
	// Containers replace the image of the named containers.
	Containers map[string]ContainerImage `json:"containers,omitempty"`
	// Environment are the outputs of the workload's environment resources.
	Environment map[string]EnvValue `json:"environment,omitempty"`
}

// Deploy returns the workload's deploy-time values.
func (w Workload) Deploy() Deploy {
	return Deploy{Image: w.Image, Containers: w.Containers, Environment: w.Environment}
}

// ContainerImage is the image of one container.
type ContainerImage struct {
	Image string `json:"image"`
}

// EnvValue is one value of an environment resource: plain text, or a key
// of a Secret in the workload's namespace on the new cluster. It is the
// function Input's type, so both are read alike.
type EnvValue = v1beta1.EnvironmentValue
