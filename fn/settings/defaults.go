package settings

import "github.com/platformcluster/function-platform-cluster/input/v1beta1"

// Built-in defaults. The Input CRD carries the same Input defaults, for API
// servers and readers; defaults_test.go keeps the two in step. A claim's own
// defaults are markers on fn/spec's types, in the XRD's schema.
const (
	DefaultNodeType  = "g6-standard-2"
	DefaultNodeCount = 3

	// DefaultSecretGeneratorImage is the official kubectl image, at the
	// Kubernetes minor the clusters default to; the generator Job brings
	// its own shell (workload.ShellImage), as this image has none.
	DefaultSecretGeneratorImage = "registry.k8s.io/kubectl:v1.36.3"

	DefaultLinodeProviderConfig = "default"
	// DefaultSecretNamespace holds the kubeconfig connection secrets.
	DefaultSecretNamespace = "crossplane-system"
	DefaultScoreKey        = "score.yaml"

	// DefaultACMEServer issues certificates browsers trust.
	DefaultACMEServer = ACMEProduction
	// DefaultDNSTTL is the shortest TTL Linode serves as given, so a
	// changed Gateway address reaches clients quickly.
	DefaultDNSTTL = 300
)

// ACME servers by their Input names.
const (
	ACMEProduction = "production"
	ACMEStaging    = "staging"
)

// ACMEServers are the directory URLs of Let's Encrypt's servers.
var ACMEServers = map[string]string{
	ACMEProduction: "https://acme-v02.api.letsencrypt.org/directory",
	ACMEStaging:    "https://acme-staging-v02.api.letsencrypt.org/directory",
}

// DNS providers.
const (
	DNSLinode = "linode"
	DNSNone   = "none"
)

// DefaultLinodeCredentials is where a composed Linode ProviderConfig reads
// the API token.
var DefaultLinodeCredentials = v1beta1.SecretKeySelector{Name: "linode-credentials", Namespace: "crossplane-system", Key: "credentials"}

// DefaultGateway is the default Gateway workloads route through.
var DefaultGateway = v1beta1.Gateway{Name: "platform-gateway", Namespace: "nginx-gateway", ClassName: "nginx"}

// The Kubernetes versions LKE offers new clusters, per tier, as found on
// 2026-12-07 (README, "Kubernetes versions", says from where). LKE drops a
// minor shortly before its upstream end of life, so a claim naming an older
// one would fail at Linode minutes later; the function refuses it at once.
// A platform team keeps them current with Input defaults.kubernetesVersions.
var (
	StandardKubernetesVersions   = []string{"1.35", "1.36"}
	EnterpriseKubernetesVersions = []string{"1.33"}
)

// Regions are the Linode core compute regions that offer LKE. A platform
// team narrows or extends them with Input defaults.regions.
var Regions = []string{
	"ap-northeast", "ap-south", "ap-southeast", "ap-west", "au-mel", "br-gru",
	"ca-central", "de-fra-2", "es-mad", "eu-central", "eu-west", "fr-par",
	"gb-lon", "id-cgk", "in-bom-2", "in-maa", "it-mil", "jp-osa", "jp-tyo-3",
	"nl-ams", "se-sto", "sg-sin-2", "us-central", "us-east", "us-iad",
	"us-lax", "us-mia", "us-ord", "us-sea", "us-southeast", "us-west",
}
