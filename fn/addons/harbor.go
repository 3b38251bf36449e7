package addons

import (
	"github.com/platformcluster/function-platform-cluster/fn/charts"
	"github.com/platformcluster/function-platform-cluster/fn/compose"
	"github.com/platformcluster/function-platform-cluster/fn/object"
	"github.com/platformcluster/function-platform-cluster/fn/score"
	"github.com/platformcluster/function-platform-cluster/fn/workload"
)

// Harbor's Secrets that the credential generator creates on the new
// cluster, in Harbor's namespace, before Harbor is installed. Harbor's
// chart publishes a default for several of them (secretKey
// "not-a-secure-key", the database password "changeit", the admin
// password "Harbor12345"); the others it draws itself at install.
const (
	// HarborKeysSecret holds the keys Harbor wants exactly 16 characters
	// long: the secretKey that encrypts stored credentials, and the secrets
	// core, jobservice and registry authenticate each other with.
	HarborKeysSecret = "harbor-generated-keys"
	// HarborXSRFSecret holds core's 32-character CSRF key.
	HarborXSRFSecret = "harbor-generated-xsrf"
	// HarborAdminSecret holds the admin password when the Input names no
	// Secret of its own.
	HarborAdminSecret = "harbor-generated-admin"
	// HarborAdminKey is the key of the admin password, the chart's default
	// existingSecretAdminPasswordKey.
	HarborAdminKey = "HARBOR_ADMIN_PASSWORD"
)

// The registry's credentials, with which core and jobservice reach it:
// the chart's registry.credentials.existingSecret wants the password under
// REGISTRY_PASSWD and its bcrypt htpasswd line under REGISTRY_HTPASSWD.
// The user is the chart's default, set explicitly because the line names
// it.
const (
	harborRegistrySecret = "harbor-generated-registry"
	harborRegistryUser   = "harbor_registry_user"
)

// harborDatabaseSecret is the Secret Harbor's chart keeps the internal
// database password in (templates/_helpers.tpl "harbor.database" for a
// release named harbor). The chart has no existingSecret for it, but reads
// the password from this Secret when it exists and the value is empty
// (lookup in "harbor.database.rawPassword"); so the generator creates it
// first, labelled so that Helm adopts it, and the chart keeps its value.
const harborDatabaseSecret = "harbor-database"

// HarborNamespaceKey is the composition resource name of Harbor's
// Namespace, which the generator needs before Harbor's release exists.
const HarborNamespaceKey = "object-namespace-harbor"

// harborItems are Harbor's Namespace, the generator of its Secrets and its
// Release, which waits for the generator to succeed.
func harborItems(o compose.Owner, s Selection, cs map[string]charts.Chart) []Item {
	ns := cs[charts.Harbor].Namespace
	nsManifest := map[string]any{"apiVersion": "v1", "kind": "Namespace", "metadata": map[string]any{"name": ns}}
	items := []Item{{Resource: object.Wrap(o, HarborNamespaceKey, "namespace-harbor", nsManifest, "", charts.Harbor), Component: charts.Harbor}}
	values, volumes := withVolumes(charts.Harbor, harborValues(s.HarborAdminSecret == "", harborExternalURL(s, cs)))
	rel := Release(o, charts.Harbor, cs[charts.Harbor], values)
	if s.HarborAdminSecret != "" {
		fromSecret(rel, "harborAdminPassword", s.HarborAdminSecret, s.SecretNamespace, HarborAdminKey)
	}
	release := Item{Resource: rel, Component: charts.Harbor, Uses: []string{HarborNamespaceKey}, Blocked: s.HarborAdminProblem, Volumes: volumes}
	gen, job, err := workload.Generator(o, "addon-harbor", s.GeneratorImage, harborSecrets(ns, s.HarborAdminSecret == ""), charts.Harbor)
	if err != nil {
		// Only a namespace the generator cannot quote gets here.
		release.Blocked = "Harbor's Secrets cannot be generated: " + err.Error()
		return append(items, release)
	}
	for _, g := range gen {
		items = append(items, Item{Resource: g, Component: charts.Harbor})
	}
	release.After = []string{job}
	return append(items, release)
}

// harborSecrets are the Secrets the generator creates for Harbor.
func harborSecrets(ns string, admin bool) []score.GeneratedSecret {
	ss := []score.GeneratedSecret{
		{
			Namespace: ns, Name: HarborKeysSecret, Keys: []string{"JOBSERVICE_SECRET", "REGISTRY_HTTP_SECRET", "secret", "secretKey"}, Length: 16,
			// A Harbor installed before keeps the key its stored
			// credentials are encrypted with (the chart kept it in
			// harbor-core); a new key would lock them away.
			Seeds: map[string]string{"secretKey": "harbor-core/secretKey"},
		},
		{Namespace: ns, Name: HarborXSRFSecret, Keys: []string{"CSRF_KEY"}},
		{
			Namespace: ns, Name: harborDatabaseSecret, Keys: []string{"POSTGRES_PASSWORD"},
			Labels:      map[string]string{"app.kubernetes.io/managed-by": "Helm"},
			Annotations: map[string]string{"meta.helm.sh/release-name": charts.Harbor, "meta.helm.sh/release-namespace": ns},
		},
	}
	if admin {
		ss = append(ss, score.GeneratedSecret{Namespace: ns, Name: HarborAdminSecret, Keys: []string{HarborAdminKey}})
	}
	ss = append(ss, score.GeneratedSecret{
		Namespace: ns, Name: harborRegistrySecret, Keys: []string{"REGISTRY_PASSWD"},
		Htpasswd: &score.Htpasswd{User: harborRegistryUser, PasswordKey: "REGISTRY_PASSWD", Key: "REGISTRY_HTPASSWD"},
	})
	for i := range ss {
		ss[i].Resource = "harbor"
	}
	return ss
}

// harborExternalURL is the URL Harbor puts in registry token realms and in
// the push and pull commands it shows, so docker login works only against
// it: the URL the platform publishes Harbor at. Without a platform domain,
// a workloads domain gives harbor.<domain>, served over HTTPS by whatever
// the platform team publishes Harbor with; without either it is the
// in-cluster Service, which only pods can reach.
func harborExternalURL(s Selection, cs map[string]charts.Chart) string {
	if u := s.URLs[charts.Harbor]; u != "" {
		return u
	}
	if s.Domain != "" {
		return "https://" + charts.Harbor + "." + s.Domain
	}
	return "http://" + serviceHost(charts.Harbor, cs)
}

// harborValues expose Harbor inside the cluster only: a platform with a
// domain publishes it through the default Gateway, which terminates TLS
// (fn/publish: its route and body-size policy). Every secret the chart would
// default comes from the generated Secrets, the admin password too unless
// the Input names a Secret for it (then set from that Secret, see
// fromSecret); no value is ever in the Release.
func harborValues(generatedAdmin bool, externalURL string) map[string]any {
	v := map[string]any{
		"externalURL": externalURL,
		"expose": map[string]any{
			"type": "clusterIP",
			"tls":  map[string]any{"enabled": false},
		},
		"existingSecretSecretKey": HarborKeysSecret,
		"core": map[string]any{
			"existingSecret":        HarborKeysSecret,
			"existingXsrfSecret":    HarborXSRFSecret,
			"existingXsrfSecretKey": "CSRF_KEY",
		},
		"jobservice": map[string]any{"existingSecret": HarborKeysSecret, "existingSecretKey": "JOBSERVICE_SECRET"},
		"registry": map[string]any{
			"existingSecret": HarborKeysSecret, "existingSecretKey": "REGISTRY_HTTP_SECRET",
			"credentials": map[string]any{"username": harborRegistryUser, "existingSecret": harborRegistrySecret},
		},
		// Empty, so the chart reads the password from the generated
		// harbor-database Secret instead of its default "changeit".
		"database": map[string]any{"internal": map[string]any{"password": ""}},
	}
	if generatedAdmin {
		v["existingSecretAdminPassword"] = HarborAdminSecret
		v["existingSecretAdminPasswordKey"] = HarborAdminKey
	}
	return v
}
