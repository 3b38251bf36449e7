package workload

import (
	"github.com/platformcluster/function-platform-cluster/fn/addons"
	"github.com/platformcluster/function-platform-cluster/fn/compose"
	"github.com/platformcluster/function-platform-cluster/fn/score"
)

// Component is the status component of shared Score resources.
const Component = "workloads"

// Delivery is what one workload (or the shared resources, Name "") needs
// on the new cluster.
type Delivery struct {
	Name      string
	URL       string
	Resources []compose.Resource
	// Routes are the keys of HTTPRoute Objects, which must not outlive the
	// Gateway API CRDs.
	Routes []string
}

// Deliver wraps converted workloads into Objects. routes says whether a
// Gateway exists; without one, HTTPRoutes are left out and reported.
func Deliver(out score.Output, ap addons.Params, image string, routes bool) ([]Delivery, []string, error) {
	var ds []Delivery
	var warnings []string
	if len(out.Shared) > 0 || len(out.SharedSecrets) > 0 {
		d, w, err := deliver("shared", "", score.SharedNamespace, out.Shared, out.SharedSecrets, ap, image, routes)
		if err != nil {
			return nil, nil, err
		}
		ds, warnings = append(ds, d), append(warnings, w...)
	}
	for _, wo := range out.Workloads {
		d, w, err := deliver("wl-"+wo.Name, wo.Name, wo.Namespace, wo.Manifests, wo.Secrets, ap, image, routes)
		if err != nil {
			return nil, nil, err
		}
		d.URL = wo.URL
		if !routes {
			d.URL = ""
		}
		ds, warnings = append(ds, d), append(warnings, w...)
	}
	return ds, warnings, nil
}

func deliver(prefix, name, home string, ms []score.Manifest, secrets []score.GeneratedSecret, ap addons.Params, image string, routes bool) (Delivery, []string, error) {
	d := Delivery{Name: name}
	var warnings []string
	generated := map[string]bool{}
	for _, s := range secrets {
		generated[s.Namespace+"/"+s.Name] = true
	}
	component := name
	if component == "" {
		component = Component
	}
	for _, m := range ms {
		kind, _ := m["kind"].(string)
		md, _ := m["metadata"].(map[string]any)
		ns, _ := md["namespace"].(string)
		n, _ := md["name"].(string)
		switch {
		case kind == "Secret" && generated[ns+"/"+n]:
			// Created, with its values, by the generator Job below.
			continue
		case kind == "HTTPRoute" && !routes:
			warnings = append(warnings, "workload "+name+": HTTPRoute "+ns+"/"+n+
				" is not delivered because spec.components.gatewayFabric is not enabled; enable it to expose the workload")
			continue
		}
		r := object(prefix, home, m, ap, component)
		if kind == "HTTPRoute" {
			d.Routes = append(d.Routes, r.Key)
		}
		d.Resources = append(d.Resources, r)
	}
	gens, err := groupSecrets(secrets)
	if err != nil {
		return Delivery{}, nil, err
	}
	for _, g := range gens {
		for _, m := range g.manifests(image) {
			d.Resources = append(d.Resources, object(prefix, home, m, ap, component))
		}
	}
	return d, warnings, nil
}
