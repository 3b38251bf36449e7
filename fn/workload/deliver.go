package workload

import (
	"strings"

	"github.com/platformcluster/function-platform-cluster/fn/addons"
	"github.com/platformcluster/function-platform-cluster/fn/compose"
	"github.com/platformcluster/function-platform-cluster/fn/score"
)

// Component is the status component of shared Score resources.
const Component = "workloads"

// Prefix starts the composition resource name of every Object of a
// workload.
func Prefix(workload string) string { return "wl-" + workload + "-" }

// Delivery is what one workload (or the shared resources, Name "") needs
// on the new cluster.
type Delivery struct {
	Name      string
	URL       string
	Resources []compose.Resource
	// Routes are the keys of HTTPRoute Objects, which must not outlive the
	// Gateway API CRDs.
	Routes []string

	prefix, home string
}

func (d Delivery) component() string {
	if d.Name == "" {
		return Component
	}
	return d.Name
}

// Deliver wraps converted workloads into Objects. routes says whether a
// Gateway exists; without one, HTTPRoutes are left out and reported, as is
// anything else that cannot be delivered.
func Deliver(out score.Output, ap addons.Params, image string, routes bool) ([]Delivery, []string) {
	var ds []Delivery
	var warnings []string
	if len(out.Shared) > 0 || len(out.SharedSecrets) > 0 {
		d, w := deliver("shared", "", score.SharedNamespace, out.Shared, out.SharedSecrets, ap, routes)
		ds, warnings = append(ds, d), append(warnings, w...)
	}
	for _, wo := range out.Workloads {
		d, w := deliver(strings.TrimSuffix(Prefix(wo.Name), "-"), wo.Name, wo.Namespace, wo.Manifests, wo.Secrets, ap, routes)
		d.URL = wo.URL
		if !routes {
			d.URL = ""
		}
		ds, warnings = append(ds, d), append(warnings, w...)
	}
	return ds, append(warnings, addGenerators(ds, out, ap, image)...)
}

// addGenerators adds one credential generator per Score resource, across
// all deliveries: a shared database's Secret is copied into every workload
// that uses it, and all copies must hold the values its own Secret holds.
// Each generator belongs to the delivery of the namespace it runs in.
func addGenerators(ds []Delivery, out score.Output, ap addons.Params, image string) []string {
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
			for _, m := range g.manifests(image) {
				ds[i].Resources = append(ds[i].Resources, object(ds[i].prefix, ds[i].home, m, ap, ds[i].component()))
			}
			break
		}
	}
	return problems
}

func deliver(prefix, name, home string, ms []score.Manifest, secrets []score.GeneratedSecret, ap addons.Params, routes bool) (Delivery, []string) {
	d := Delivery{Name: name, prefix: prefix, home: home}
	var warnings []string
	generated := map[string]bool{}
	for _, s := range secrets {
		generated[s.Namespace+"/"+s.Name] = true
	}
	for _, m := range ms {
		kind, _ := m["kind"].(string)
		md, _ := m["metadata"].(map[string]any)
		ns, _ := md["namespace"].(string)
		n, _ := md["name"].(string)
		switch {
		case kind == "Secret" && generated[ns+"/"+n]:
			// Created, with its values, by a generator Job (addGenerators).
			continue
		case kind == "HTTPRoute" && !routes:
			warnings = append(warnings, "workload "+name+": HTTPRoute "+ns+"/"+n+
				" is not delivered because spec.components.gatewayFabric is not enabled; enable it to expose the workload")
			continue
		}
		r := object(prefix, home, m, ap, d.component())
		if kind == "HTTPRoute" {
			d.Routes = append(d.Routes, r.Key)
		}
		d.Resources = append(d.Resources, r)
	}
	return d, warnings
}
