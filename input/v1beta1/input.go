// Package v1beta1 contains the input type for function-platform-cluster.
// +kubebuilder:object:generate=true
// +groupName=platformcluster.fn.crossplane.io
// +versionName=v1beta1
package v1beta1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

// Input configures how function-platform-cluster composes an XPlatformCluster.
// Every field is optional: the function fills anything left out from its
// built-in defaults, so a platform team pins or overrides only what it must,
// in the Composition, without rebuilding the function.
//
// +kubebuilder:object:root=true
// +kubebuilder:storageversion
// +kubebuilder:resource:categories=crossplane
type Input struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// Defaults for fields a claim leaves out. The XRD carries the same
	// defaults; these apply when the XRD does not (for example under
	// crossplane render).
	// +optional
	Defaults Defaults `json:"defaults,omitempty"`

	// Linode configures how managed resources reach the Linode API.
	// +optional
	Linode Linode `json:"linode,omitempty"`

	// ConnectionSecretNamespace is where the LKE cluster's kubeconfig
	// connection secret is written, and so where the provider-helm and
	// provider-kubernetes ProviderConfigs read it from.
	// +optional
	// +kubebuilder:default=crossplane-system
	ConnectionSecretNamespace string `json:"connectionSecretNamespace,omitempty"`

	// Charts pins or overrides the Helm chart of each add-on.
	// +optional
	Charts Charts `json:"charts,omitempty"`

	// Gateway configures the default Gateway API Gateway that workloads
	// route through.
	// +optional
	Gateway Gateway `json:"gateway,omitempty"`

	// Grafana configures the Grafana add-on.
	// +optional
	Grafana Grafana `json:"grafana,omitempty"`

	// Harbor configures the Harbor add-on.
	// +optional
	Harbor Harbor `json:"harbor,omitempty"`

	// Workloads configures where Score workloads come from and how they are
	// exposed.
	// +optional
	Workloads Workloads `json:"workloads,omitempty"`

	// TLS configures the certificates of claims that set
	// spec.components.gatewayFabric.tls.
	// +optional
	TLS TLS `json:"tls,omitempty"`

	// Tenancy configures PlatformTenants: what the platform team, not the
	// tenant, decides.
	// +optional
	Tenancy Tenancy `json:"tenancy,omitempty"`

	// DNS configures the records of claims that set
	// spec.components.gatewayFabric.domain.
	// +optional
	DNS DNS `json:"dns,omitempty"`
}

// TLS configures how certificates are issued.
type TLS struct {
	// ACMEServer is "production" or "staging" (Let's Encrypt's), or the
	// directory URL of another ACME server. Staging certificates are not
	// trusted by browsers but are not rate limited: use it while trying the
	// platform out.
	// +optional
	// +kubebuilder:default=production
	ACMEServer string `json:"acmeServer,omitempty"`
}

// DNS configures the DNS records of the platform's hosts.
type DNS struct {
	// Provider is "linode", which composes provider-linode Domain and Record
	// managed resources with the Linode ProviderConfig of the LKE cluster,
	// or "none", which leaves pointing the hosts at the Gateway's address
	// (status.gateway.address) to the platform team.
	// +optional
	// +kubebuilder:validation:Enum=linode;none
	// +kubebuilder:default=linode
	Provider string `json:"provider,omitempty"`

	// Zone is an existing Linode DNS zone the records go into. Unset, each
	// claim's domain becomes a zone of its own, which the domain's parent
	// must delegate to Linode's name servers (ns1-5.linode.com).
	// +optional
	Zone *DNSZone `json:"zone,omitempty"`

	// TTLSec is the records' TTL in seconds.
	// +optional
	// +kubebuilder:default=300
	// +kubebuilder:validation:Minimum=30
	TTLSec *int64 `json:"ttlSec,omitempty"`
}

// DNSZone is an existing Linode domain (DNS zone).
type DNSZone struct {
	// ID is the Linode domain ID.
	// +kubebuilder:validation:Minimum=1
	ID int64 `json:"id"`
	// Domain is the zone's name, e.g. example.com. Every claim's domain
	// must be it or under it.
	Domain string `json:"domain"`
}

// Defaults for claim fields.
type Defaults struct {
	// Region is deprecated and ignored, with a warning: the claim's XRD
	// defaults spec.clusterSpec.region before the function sees the claim,
	// so an Input default could never apply on a control plane. Edit the
	// XRD's default instead.
	// +optional
	Region string `json:"region,omitempty"`

	// KubernetesVersion is deprecated and ignored, with a warning, for the
	// same reason as Region: the XRD defaults the claim's version first.
	// +optional
	KubernetesVersion string `json:"kubernetesVersion,omitempty"`

	// NodeType is the Linode instance type of a node pool that sets none.
	// +optional
	NodeType string `json:"nodeType,omitempty"`

	// NodeCount is the node count of a node pool that sets none.
	// +optional
	NodeCount *int64 `json:"nodeCount,omitempty"`

	// Regions lists the Linode regions a claim may use. Empty means the
	// function's built-in list of LKE regions.
	// +optional
	Regions []string `json:"regions,omitempty"`

	// KubernetesVersions lists, per LKE tier, the Kubernetes versions
	// (major.minor) a claim may ask for. A tier left empty means the
	// function's built-in list (see README, "Kubernetes versions"); set it
	// from `linode-cli lke tiered-versions-list <tier>` as LKE moves.
	// +optional
	KubernetesVersions KubernetesVersions `json:"kubernetesVersions,omitempty"`
}

// KubernetesVersions are the Kubernetes versions LKE offers, per tier.
type KubernetesVersions struct {
	// Standard lists the versions of the standard tier, e.g. ["1.35", "1.36"].
	// +optional
	Standard []string `json:"standard,omitempty"`
	// Enterprise lists the versions of LKE Enterprise, e.g. ["1.33"].
	// +optional
	Enterprise []string `json:"enterprise,omitempty"`
}

// Linode configures access to the Linode API.
type Linode struct {
	// ProviderConfigName is the provider-linode ProviderConfig the LKE
	// managed resources use.
	// +optional
	// +kubebuilder:default=default
	ProviderConfigName string `json:"providerConfigName,omitempty"`

	// CreateProviderConfig makes the function compose the provider-linode
	// ProviderConfig named ProviderConfigName, reading the Linode API token
	// from CredentialsSecretRef.
	// +optional
	CreateProviderConfig bool `json:"createProviderConfig,omitempty"`

	// CredentialsSecretRef locates the Linode API token used when
	// CreateProviderConfig is true.
	// +optional
	CredentialsSecretRef *SecretKeySelector `json:"credentialsSecretRef,omitempty"`
}

// SecretKeySelector selects a key of a Secret.
type SecretKeySelector struct {
	// Name of the Secret.
	Name string `json:"name"`
	// Namespace of the Secret.
	Namespace string `json:"namespace"`
	// Key within the Secret.
	Key string `json:"key"`
}

// Charts pins each add-on's Helm chart. A field left out keeps the
// function's built-in, tested pin.
type Charts struct {
	// +optional
	Loki *Chart `json:"loki,omitempty"`
	// +optional
	Tempo *Chart `json:"tempo,omitempty"`
	// +optional
	Grafana *Chart `json:"grafana,omitempty"`
	// +optional
	Alloy *Chart `json:"alloy,omitempty"`
	// +optional
	GatewayFabric *Chart `json:"gatewayFabric,omitempty"`
	// GatewayAPICRDs is ignored, with a warning: the Gateway API CRDs are
	// installed by a Job on the new cluster, not as a chart (see
	// gateway.crdsManifest).
	// +optional
	GatewayAPICRDs *Chart `json:"gatewayAPICRDs,omitempty"`
	// +optional
	Headlamp *Chart `json:"headlamp,omitempty"`
	// +optional
	Harbor *Chart `json:"harbor,omitempty"`
	// +optional
	CertManager *Chart `json:"certManager,omitempty"`
}

// Chart overrides one Helm chart. Empty fields keep the built-in value.
type Chart struct {
	// Repository is the chart repository URL (https:// or oci://).
	// +optional
	Repository string `json:"repository,omitempty"`

	// Name of the chart in the repository.
	// +optional
	Name string `json:"name,omitempty"`

	// Version of the chart.
	// +optional
	Version string `json:"version,omitempty"`

	// Namespace the release is installed into.
	// +optional
	Namespace string `json:"namespace,omitempty"`

	// Values are merged over the function's values for this chart; a key
	// set here wins.
	// +optional
	// +kubebuilder:pruning:PreserveUnknownFields
	Values *runtime.RawExtension `json:"values,omitempty"`
}

// Gateway configures the default Gateway.
type Gateway struct {
	// Name of the Gateway.
	// +optional
	// +kubebuilder:default=platform-gateway
	Name string `json:"name,omitempty"`

	// Namespace of the Gateway.
	// +optional
	// +kubebuilder:default=nginx-gateway
	Namespace string `json:"namespace,omitempty"`

	// ClassName is the GatewayClass the gateway controller serves.
	// +optional
	// +kubebuilder:default=nginx
	ClassName string `json:"className,omitempty"`

	// CRDsManifest is what the installer Job on each new cluster applies
	// (kubectl apply -f) to install the Gateway API CRDs: an https:// or
	// http:// URL, or an absolute path to a file in the kubectl image
	// (workloads.secretGeneratorImage). It must be the Gateway API
	// release's standard-install.yaml at the version the function pins.
	// Empty is that file on GitHub; set it when new clusters cannot reach
	// github.com.
	// +optional
	CRDsManifest string `json:"crdsManifest,omitempty"`
}

// Grafana configures the Grafana add-on.
type Grafana struct {
	// AdminSecretName names an existing Secret, in Grafana's namespace on
	// the new cluster, holding the keys admin-user and admin-password.
	// When empty the chart generates the password into its own Secret, so
	// it is never written into a composed resource.
	// +optional
	AdminSecretName string `json:"adminSecretName,omitempty"`
}

// Harbor configures the Harbor add-on.
type Harbor struct {
	// AdminSecretName names a Secret on the control plane, in
	// connectionSecretNamespace, whose key HARBOR_ADMIN_PASSWORD holds the
	// admin password; provider-helm sets Harbor's harborAdminPassword from
	// it, so it is never in the Release. Harbor is not installed while the
	// Secret or its key is missing. When empty the password is generated on
	// the new cluster, into the Secret harbor-generated-admin in Harbor's
	// namespace, and never rotated.
	// +optional
	AdminSecretName string `json:"adminSecretName,omitempty"`
}

// Workloads configures Score workloads.
type Workloads struct {
	// Namespace holds the ConfigMaps that components.userApps.enabled
	// names. Empty means the claim's namespace.
	// +optional
	Namespace string `json:"namespace,omitempty"`

	// ConfigMapKey is the key of each ConfigMap that holds the Score spec.
	// +optional
	// +kubebuilder:default=score.yaml
	ConfigMapKey string `json:"configMapKey,omitempty"`

	// Domain under which dns resources get their host names when the
	// claim sets no domain.
	// +optional
	Domain string `json:"domain,omitempty"`

	// SecretGeneratorImage runs the Job that generates Score resources'
	// credentials on the new cluster, and the one that installs the Gateway
	// API CRDs. It needs kubectl at /bin, /usr/bin or /usr/local/bin; an
	// init container supplies a static busybox shell to the first.
	// +optional
	// +kubebuilder:default="registry.k8s.io/kubectl:v1.36.3"
	SecretGeneratorImage string `json:"secretGeneratorImage,omitempty"`

	// Provisioners are the platform's own Score resource provisioners, in
	// score-k8s' template provisioner format, so an existing provisioners
	// file can be pasted here unchanged. They are tried in order, before
	// the built-in ones: the first whose type, class and id match a
	// resource provisions it.
	// +optional
	Provisioners []ScoreProvisioner `json:"provisioners,omitempty"`

	// Environment gives the outputs of Score `environment` resources for
	// every workload, by output name: what score-compose reads from the
	// deployer's environment. A claim's own values for a workload take
	// precedence. A secret is never written here in plain text: name a
	// Secret key on the new cluster instead.
	// +optional
	Environment map[string]EnvironmentValue `json:"environment,omitempty"`
}

// EnvironmentValue is one value of a Score `environment` resource: exactly
// one of value and secretKeyRef.
type EnvironmentValue struct {
	// Value is plain text, written into the workload's manifests as is.
	// +optional
	Value *string `json:"value,omitempty"`

	// SecretKeyRef names a key of a Secret that exists in the workload's
	// namespace on the new cluster; the workload reads it through
	// secretKeyRef.
	// +optional
	SecretKeyRef *SecretKeyRef `json:"secretKeyRef,omitempty"`
}

// SecretKeyRef names a key of a Secret.
type SecretKeyRef struct {
	// Name is the Secret's name.
	Name string `json:"name"`

	// Key is the key in the Secret's data.
	Key string `json:"key"`
}

// ScoreProvisioner is a score-k8s template provisioner. The templates are
// Go text/templates with sprig's functions and encodeSecretRef; each gives
// YAML. Values a Secret manifest holds must be drawn with a random function
// (randAlphaNum...): the function never writes them anywhere, and a Job on
// the new cluster generates them instead.
type ScoreProvisioner struct {
	// URI names the provisioner; only template:// provisioners can run.
	URI string `json:"uri"`

	// Type is the Score resource type it provisions.
	Type string `json:"type"`

	// Class, when set, limits it to resources of that class.
	// +optional
	// +nullable
	Class *string `json:"class,omitempty"`

	// ID, when set, limits it to the resource with that id.
	// +optional
	// +nullable
	ID *string `json:"id,omitempty"`

	// +optional
	Description string `json:"description,omitempty"`

	// Init is evaluated first; its result is .Init.
	// +optional
	Init string `json:"init,omitempty"`

	// State gives .State. There is no state between reconciles: .State
	// starts empty every time.
	// +optional
	State string `json:"state,omitempty"`

	// Shared is merged into .Shared, which all resources of one
	// conversion see.
	// +optional
	Shared string `json:"shared,omitempty"`

	// Outputs gives the outputs placeholders read.
	// +optional
	Outputs string `json:"outputs,omitempty"`

	// Manifests gives a list of objects created in the resource's
	// namespace.
	// +optional
	Manifests string `json:"manifests,omitempty"`

	// SupportedParams, when set, are the only params it reads; others
	// are warned about.
	// +optional
	SupportedParams []string `json:"supported_params,omitempty"`

	// ExpectedOutputs documents its outputs.
	// +optional
	ExpectedOutputs []string `json:"expected_outputs,omitempty"`
}

// Tenancy is what the platform team decides for every PlatformTenant.
type Tenancy struct {
	// PodSecurity is the Pod Security admission level enforced, audited
	// and warned about in tenants' namespaces.
	// +optional
	// +kubebuilder:validation:Enum=restricted;baseline;privileged
	// +kubebuilder:default=restricted
	PodSecurity string `json:"podSecurity,omitempty"`

	// Egress is the traffic tenants' pods may send besides DNS and
	// traffic among a tenant's own namespaces, e.g. to the API server
	// for the credential generator Jobs, or to the internet on 443.
	// +optional
	Egress []TenantEgress `json:"egress,omitempty"`

	// ReservedNamespaces may never be a tenant's, on top of the
	// platform's own (kube-*, default, the add-ons', the Gateway's).
	// +optional
	ReservedNamespaces []string `json:"reservedNamespaces,omitempty"`
}

// TenantEgress allows egress to a CIDR or to a namespace of the cluster:
// exactly one of the two.
type TenantEgress struct {
	// CIDR the traffic may go to, e.g. 0.0.0.0/0.
	// +optional
	CIDR string `json:"cidr,omitempty"`

	// Namespace the traffic may go to, e.g. observability for OTLP to
	// Alloy on 4317.
	// +optional
	Namespace string `json:"namespace,omitempty"`

	// Except are CIDRs inside it the traffic may not go to.
	// +optional
	Except []string `json:"except,omitempty"`

	// Ports limit it; none means every port.
	// +optional
	Ports []TenantPort `json:"ports,omitempty"`
}

// TenantPort is a port of a TenantEgress rule.
type TenantPort struct {
	Port int64 `json:"port"`

	// +optional
	// +kubebuilder:validation:Enum=TCP;UDP;SCTP
	// +kubebuilder:default=TCP
	Protocol string `json:"protocol,omitempty"`
}
