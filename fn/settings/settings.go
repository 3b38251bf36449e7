// Package settings resolves the function's Input into the settings one
// composition uses, filling everything the Input leaves out.
package settings

import (
	"cmp"

	"github.com/platformcluster/function-platform-cluster/fn/charts"
	"github.com/platformcluster/function-platform-cluster/fn/score"
	"github.com/platformcluster/function-platform-cluster/fn/spec"
	"github.com/platformcluster/function-platform-cluster/fn/workload"
	"github.com/platformcluster/function-platform-cluster/input/v1beta1"
)

// Settings for one RunFunction call.
type Settings struct {
	Defaults spec.Defaults
	Regions  []string
	// KubernetesVersions are the versions a claim may ask for, by LKE tier.
	KubernetesVersions spec.KubernetesVersions

	LinodeProviderConfig       string
	CreateLinodeProviderConfig bool
	LinodeCredentials          v1beta1.SecretKeySelector

	// SecretNamespace holds the LKE kubeconfig connection secrets.
	SecretNamespace string

	Charts  map[string]charts.Chart
	Gateway v1beta1.Gateway

	GrafanaAdminSecret string
	HarborAdminSecret  string

	WorkloadNamespace    string
	ScoreKey             string
	Domain               string
	SecretGeneratorImage string

	// ACMEServer is the ACME directory URL certificates are issued by, and
	// Issuer the name of the ClusterIssuer that uses it.
	ACMEServer, Issuer string
	// DNS says how the platform's hosts get DNS records.
	DNS DNS

	// Warnings name Input fields that are accepted but no longer used.
	Warnings []string
	// ScoreProvisioners are the Input's provisioners, in order.
	ScoreProvisioners []score.TemplateProvisioner
	// ScoreEnvironment are the Input's values of environment resources.
	ScoreEnvironment map[string]score.EnvValue
	// Tenancy applies to PlatformTenants.
	Tenancy Tenancy
}

// Resolve fills in everything the Input leaves out.
func Resolve(in *v1beta1.Input) (Settings, error) {
	c, err := charts.Resolve(in.Charts)
	if err != nil {
		return Settings{}, err
	}
	s := Settings{
		Defaults: spec.Defaults{
			NodeType:  cmp.Or(in.Defaults.NodeType, DefaultNodeType),
			NodeCount: DefaultNodeCount,
		},
		Regions: orDefault(in.Defaults.Regions, Regions),
		KubernetesVersions: spec.KubernetesVersions{
			spec.TierStandard:   orDefault(in.Defaults.KubernetesVersions.Standard, StandardKubernetesVersions),
			spec.TierEnterprise: orDefault(in.Defaults.KubernetesVersions.Enterprise, EnterpriseKubernetesVersions),
		},
		LinodeProviderConfig:       cmp.Or(in.Linode.ProviderConfigName, DefaultLinodeProviderConfig),
		CreateLinodeProviderConfig: in.Linode.CreateProviderConfig,
		LinodeCredentials:          DefaultLinodeCredentials,
		SecretNamespace:            cmp.Or(in.ConnectionSecretNamespace, DefaultSecretNamespace),
		Charts:                     c,
		Gateway: v1beta1.Gateway{
			Name:      cmp.Or(in.Gateway.Name, DefaultGateway.Name),
			Namespace: cmp.Or(in.Gateway.Namespace, DefaultGateway.Namespace),
			ClassName: cmp.Or(in.Gateway.ClassName, DefaultGateway.ClassName),
		},
		GrafanaAdminSecret:   in.Grafana.AdminSecretName,
		HarborAdminSecret:    in.Harbor.AdminSecretName,
		WorkloadNamespace:    in.Workloads.Namespace,
		ScoreKey:             cmp.Or(in.Workloads.ConfigMapKey, DefaultScoreKey),
		Domain:               in.Workloads.Domain,
		SecretGeneratorImage: cmp.Or(in.Workloads.SecretGeneratorImage, DefaultSecretGeneratorImage),
	}
	if in.Defaults.NodeCount != nil {
		s.Defaults.NodeCount = *in.Defaults.NodeCount
	}
	if r := in.Linode.CredentialsSecretRef; r != nil {
		s.LinodeCredentials = *r
	}
	if in.Defaults.Region != "" || in.Defaults.KubernetesVersion != "" {
		s.Warnings = append(s.Warnings, "input defaults.region and defaults.kubernetesVersion are ignored: the XRD defaults a claim's region and Kubernetes version before the function sees it (spec.clusterSpec in package/configuration/xrd.yaml)")
	}
	if in.Charts.GatewayAPICRDs != nil {
		s.Warnings = append(s.Warnings, "input charts.gatewayAPICRDs is ignored: the Gateway API CRDs are no longer a Helm chart; a Job on the new cluster installs them at the version the function pins (gateway.crdsManifest says where it gets them)")
	}
	if s.Gateway.CRDsManifest, err = crdsManifest(in.Gateway.CRDsManifest); err != nil {
		return Settings{}, err
	}
	s.ScoreProvisioners = scoreProvisioners(in.Workloads.Provisioners)
	s.ScoreEnvironment = workload.Environment(in.Workloads.Environment)
	if s.ACMEServer, s.Issuer, err = acmeServer(in.TLS.ACMEServer); err != nil {
		return Settings{}, err
	}
	if s.DNS, err = dnsSettings(in.DNS); err != nil {
		return Settings{}, err
	}
	if s.Tenancy, err = tenancy(in.Tenancy, s); err != nil {
		return Settings{}, err
	}
	return s, nil
}

// orDefault is the Input's list, or the built-in one when the Input has none.
func orDefault(in, builtin []string) []string {
	if len(in) > 0 {
		return in
	}
	return builtin
}
