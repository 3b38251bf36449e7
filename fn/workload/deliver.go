package workload

import (
	"cmp"

	"github.com/platformcluster/function-platform-cluster/fn/compose"
	"github.com/platformcluster/function-platform-cluster/fn/score"
)

// Component is the status component of shared Score resources.
const Component = "workloads"

// deliveryPrefix starts the composition resource name of every Object of
// a workload (objectKey). It is not an identity: "wl-shop" also starts
// "wl-shop-x"'s keys (see Kept).
func deliveryPrefix(workload string) string { return "wl-" + workload }

// Delivery is what one workload (or the shared resources, Name "") needs
// on the new cluster.
type Delivery struct {
	Name      string
	URL       string
	Resources []compose.Resource

	prefix, home string
}

func (d Delivery) component() string {
	if d.Name == "" {
		return Component
	}
	return d.Name
}

// Target is where workloads are delivered.
type Target struct {
	Owner compose.Owner
	// GeneratorImage runs the credential generator Jobs.
	GeneratorImage string
	// GatewayEnabled says whether the default Gateway exists; without it,
	// HTTPRoutes are left out and reported.
	GatewayEnabled bool
	// Listeners maps each host served over HTTPS to its own listener on
	// the Gateway, which that host's routes attach to.
	Listeners map[string]string
	// Namespace is the score.Options.Namespace the workloads were
	// converted with, where their shared resources went; empty for
	// score.SharedNamespace.
	Namespace string
}

// Deliver wraps converted workloads into Objects. What cannot be delivered
// is left out and reported.
func Deliver(out score.Output, t Target) ([]Delivery, []string) {
	var ds []Delivery
	var warnings []string
	if len(out.Shared) > 0 || len(out.SharedSecrets) > 0 {
		prefix := "shared"
		if t.Namespace != "" {
			// One delivery of shared resources per namespace.
			prefix += "-" + t.Namespace
		}
		d, w := deliver(prefix, "", cmp.Or(t.Namespace, score.SharedNamespace), out.Shared, out.SharedSecrets, t)
		ds, warnings = append(ds, d), append(warnings, w...)
	}
	for _, wo := range out.Workloads {
		d, w := deliver(deliveryPrefix(wo.Name), wo.Name, wo.Namespace, wo.Manifests, wo.Secrets, t)
		d.URL = secure(wo.URL, t.Listeners)
		if !t.GatewayEnabled {
			d.URL = ""
		}
		ds, warnings = append(ds, d), append(warnings, w...)
	}
	return ds, append(warnings, addGenerators(ds, out, t)...)
}

// addGenerators adds one credential generator per Score resource, across
// all deliveries: a shared database's Secret is copied into every workload
// that uses it, and all copies must hold the values its own Secret holds.
// Each generator belongs to the delivery of the namespace it runs in.
func addGenerators(ds []Delivery, out score.Output, t Target) []string {
	all := append([]score.GeneratedSecret{}, out.SharedSecrets...)
	for _, wo := range out.Workloads {
		all = append(all, wo.Secrets...)
	}
	gens, problems := groupSecrets(all)
	for _, g := range gens {
		for i := range ds {
			if ds[i].home != g.namespace() {
				continue
			}
			for _, m := range generatorManifests.manifests(g, t.GeneratorImage) {
				ds[i].Resources = append(ds[i].Resources, wrap(t.Owner, ds[i].prefix, ds[i].home, m, ds[i].component()))
			}
			break
		}
	}
	return problems
}

func deliver(prefix, name, home string, ms []score.Manifest, secrets []score.GeneratedSecret, t Target) (Delivery, []string) {
	d := Delivery{Name: name, prefix: prefix, home: home}
	var warnings []string
	generated := map[string]bool{}
	for _, s := range secrets {
		generated[s.Namespace+"/"+s.Name] = true
	}
	for _, m := range ms {
		id := compose.Identify(m)
		switch {
		case id.Kind == "Secret" && generated[id.Namespace+"/"+id.Name]:
			// Created, with its values, by a generator Job (addGenerators).
			continue
		case id.Kind == "HTTPRoute" && !t.GatewayEnabled:
			warnings = append(warnings, "workload "+name+": HTTPRoute "+id.Namespace+"/"+id.Name+
				" is not delivered because spec.components.gatewayFabric is not enabled; enable it to expose the workload")
			continue
		}
		if id.Kind == "HTTPRoute" {
			m = attach(m, t.Listeners)
		}
		d.Resources = append(d.Resources, wrap(t.Owner, prefix, home, m, d.component()))
	}
	return d, warnings
}
