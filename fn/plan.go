package fn

import (
	"slices"
	"strings"

	"github.com/platformcluster/function-platform-cluster/fn/addons"
	"github.com/platformcluster/function-platform-cluster/fn/compose"
	"github.com/platformcluster/function-platform-cluster/fn/lke"
	"github.com/platformcluster/function-platform-cluster/fn/observed"
	"github.com/platformcluster/function-platform-cluster/fn/protection"
	"github.com/platformcluster/function-platform-cluster/fn/providerconfig"
	"github.com/platformcluster/function-platform-cluster/fn/publish"
	"github.com/platformcluster/function-platform-cluster/fn/settings"
	"github.com/platformcluster/function-platform-cluster/fn/sorted"
	"github.com/platformcluster/function-platform-cluster/fn/spec"
	"github.com/platformcluster/function-platform-cluster/fn/workload"
)

// platform is what one reconcile composed and reports: what admit let in,
// and the result of each phase of plan, which status.go reads.
type platform struct {
	*admitted
	warnings []string

	cluster    clusterStatus
	kubeconfig []byte
	// addresses are the default Gateway's, once it has any. The DNS
	// records point at the first of each kind (recordTargets), a host name
	// only when there is no IP address; status shows the first.
	addresses  []string
	components map[string]componentStatus
	// dns and certs track the records and certificates of a platform
	// published under a domain; nil when there are none.
	dns, certs *progress
	domain     string
	workloads  []workloadStatus
	// teardown is what deleting the claim waits for.
	teardown teardownStatus
	// gatewayAPICRDs is the Gateway API CRDs' installer that completed
	// (addons.CRDsInstalled), reported in the XR's status.
	gatewayAPICRDs string
}

type clusterStatus struct {
	id, status, endpoint, version string
	ready                         bool
}

type componentStatus struct {
	readiness
	// url is where a UI is published.
	url string
}

// composition is one XR's validated spec and what the function read for it.
type composition struct {
	spec     *spec.Spec
	settings settings.Settings
	owner    compose.Owner
	// claimTag is the Linode tag of the claim's volumes.
	claimTag string
	// workloadNamespace is where referenced Score ConfigMaps live.
	workloadNamespace string
	observed          observed.State
	fetched           fetched
	// gatewayAPICRDs is the observed XR's status.gatewayAPICRDs.
	gatewayAPICRDs string
}

// plan composes the platform in the stages stages.go describes. Each phase
// takes what the phases before it returned and returns its own result;
// they share only what admit let in.
func plan(c composition, cache *workload.Cache) *platform {
	a := &admitted{owner: c.owner, obs: c.observed}
	cl := addCluster(a, c)
	pcs := addProviderConfigs(a, c.settings, cl)
	wls := convertWorkloads(c, cache)
	st := newSite(c.spec, c.settings, append(wls.routeHosts(), c.fetched.tenantHosts...))
	ad := addAddons(a, pcs, selection(c, st), c.settings, st.httpsHosts(), c.gatewayAPICRDs)
	pub := addPublishing(a, st, c.settings, cl.linodePC, ad.addresses)
	wl := addWorkloads(a, c, wls, st.listeners, cl.ref)
	p := &platform{
		admitted: a, cluster: cl.status, kubeconfig: cl.kubeconfig,
		addresses: ad.addresses, components: withUIsAndShared(ad.components, pub.routes, wl.shared),
		dns: pub.dns, certs: pub.certs, domain: st.domain, workloads: wl.statuses,
		teardown: addTeardown(a, c, pcs.kubernetes), gatewayAPICRDs: ad.gatewayAPICRDs,
		warnings: slices.Concat(c.settings.Warnings, st.warnings, wl.warnings),
	}
	if c.fetched.harborAdmin != "" {
		p.warnings = append(p.warnings, "spec.components.harbor: "+c.fetched.harborAdmin)
	}
	return p
}

// cluster is what composing the LKE cluster gives the phases after it.
type cluster struct {
	status     clusterStatus
	kubeconfig []byte
	// ref is the LKE Cluster, which everything on it must outlive.
	ref protection.Ref
	// linodePC is the Linode ProviderConfig every Linode resource uses.
	linodePC string
}

// addCluster composes the LKE Cluster, its NodePools and, if asked, the
// Linode ProviderConfig, and reads the cluster's observed status.
func addCluster(a *admitted, c composition) cluster {
	set := c.settings
	linodePC := set.LinodeProviderConfig
	if set.CreateLinodeProviderConfig {
		t := set.LinodeCredentials
		token := providerconfig.SecretRef{Name: t.Name, Namespace: t.Namespace, Key: t.Key}
		a.admit(item{Resource: providerconfig.Linode(a.owner, token), readyWhenObserved: true})
		linodePC = providerconfig.LinodeName(a.owner.XR)
	}
	lc := lke.Config{ProviderConfig: linodePC, SecretNamespace: set.SecretNamespace}
	lkeCluster := lke.Cluster(a.owner, &c.spec.ClusterSpec, lc)
	a.admit(item{Resource: lkeCluster})
	ref := protection.RefOf(lkeCluster)
	for _, np := range lke.NodePools(a.owner, &c.spec.ClusterSpec, lc) {
		a.admit(item{Resource: np})
		a.protect(ref, np)
	}
	kc, ok := a.obs.ConnectionDetail(lke.ClusterKey, lke.KubeconfigKey)
	if !ok {
		kc = c.fetched.kubeconfig
	}
	return cluster{status: observeCluster(a.obs, kc), kubeconfig: kc, ref: ref, linodePC: linodePC}
}

// providerConfigs are the helm and kubernetes ProviderConfigs, once
// composed: every Release and Object whose deletion a Usage may hold back
// must outlive its own (teardown.go, addAddons).
type providerConfigs struct{ kubernetes, helm protection.Ref }

// of is the ProviderConfig a Release or an Object uses; empty until it is
// composed.
func (pcs providerConfigs) of(r compose.Resource) protection.Ref {
	if strings.HasPrefix(protection.RefOf(r).APIVersion, "helm.crossplane.io/") {
		return pcs.helm
	}
	return pcs.kubernetes
}

// addProviderConfigs composes the helm and kubernetes ProviderConfigs that
// reach the new cluster, and returns them once composed.
func addProviderConfigs(a *admitted, set settings.Settings, cl cluster) (pcs providerConfigs) {
	kubeconfig := providerconfig.SecretRef{Name: lke.KubeconfigSecretName(a.owner.XR), Namespace: set.SecretNamespace, Key: lke.KubeconfigKey}
	needs := []need{cl.status.published()}
	a.stageWaits("ProviderConfigs", needs...)
	for _, pc := range []compose.Resource{providerconfig.Helm(a.owner, kubeconfig), providerconfig.Kubernetes(a.owner, kubeconfig)} {
		if _, held := a.admit(item{Resource: pc, needs: needs, readyWhenObserved: true}); held != nil {
			continue
		}
		// A ProviderConfig cannot be deleted while a Release or Object
		// still uses it, so making the cluster outlive the two
		// ProviderConfigs makes it outlive everything installed on it,
		// with two ClusterUsages instead of one per Release and Object.
		// That holds for what is deleted at once with them; what a Usage
		// holds back needs its own (addAddons, teardown.go).
		a.protect(cl.ref, pc)
		switch pc.Key {
		case providerconfig.KubernetesKey:
			pcs.kubernetes = protection.RefOf(pc)
		case providerconfig.HelmKey:
			pcs.helm = protection.RefOf(pc)
		}
	}
	return pcs
}

// installed is what composing the add-ons gives the phases after it: each
// component's readiness and the default Gateway's addresses.
type installed struct {
	components map[string]componentStatus
	addresses  []string
	// gatewayAPICRDs is the Gateway API CRDs' installer that completed.
	gatewayAPICRDs string
}

// addAddons composes the enabled add-ons in their order, and tracks each
// component's readiness.
func addAddons(a *admitted, pcs providerConfigs, sel addons.Selection, set settings.Settings, https []publish.Host, crdsInstalled string) installed {
	out := installed{components: map[string]componentStatus{}}
	g := addons.Gateway{
		Name: set.Gateway.Name, Namespace: set.Gateway.Namespace, ClassName: set.Gateway.ClassName, HTTPS: https,
		KubectlImage: set.SecretGeneratorImage, CRDsManifest: set.Gateway.CRDsManifest, CRDsInstalled: crdsInstalled,
	}
	if sel.Gateway {
		job := a.obs.String(addons.CRDsKey, "status", "atProvider", "manifest", "metadata", "name")
		out.gatewayAPICRDs = addons.CRDsInstalled(g, job, a.obs.RemoteStatus(addons.CRDsKey, "Complete"))
	}
	for _, it := range addons.Plan(a.owner, sel, g, set.Charts) {
		needs := []need{a.providerConfigsExist()}
		if it.Volumes {
			needs = append(needs, a.storageReady())
		}
		for _, k := range it.After {
			needs = append(needs, a.resourceReady(k))
		}
		if it.Blocked != "" {
			needs = append(needs, need{what: it.Blocked})
		}
		c := out.components[it.Component]
		ready, held := a.admit(item{Resource: it.Resource, needs: needs})
		switch {
		case held != nil:
			c.fail(waitsFor(it.Key, held))
		case ready:
			c.pass()
		default:
			c.fail(it.Key + ": " + a.obs.Message(it.Key))
		}
		out.components[it.Component] = c
		if held != nil {
			continue
		}
		for _, k := range it.Uses {
			r, ok := a.find(k)
			if !ok {
				continue
			}
			a.protect(protection.RefOf(r), it.Resource)
			// r now waits for it.Resource, and a ProviderConfigUsage does
			// not keep r's ProviderConfig that long: the live suite, with
			// real provider-helm, found the helm ProviderConfig deleted
			// while NGINX Gateway Fabric's Release waited for the Gateway,
			// which then could never be uninstalled.
			if pc := pcs.of(r); pc.Key != "" {
				a.protect(pc, r)
			}
		}
	}
	// provider-kubernetes reports the Gateway it observed; its addresses
	// are where the DNS names of the platform's hosts must point.
	for _, addr := range a.obs.List(addons.GatewayKey, "status", "atProvider", "manifest", "status", "addresses") {
		if v := addr.GetStructValue().GetFields()["value"].GetStringValue(); v != "" {
			out.addresses = append(out.addresses, v)
		}
	}
	return out
}

// withUIsAndShared folds into the add-ons' components each published UI's
// URL and route readiness, and the readiness of the workloads' shared
// resources, when there are any.
func withUIsAndShared(components, routes map[string]componentStatus, shared *readiness) map[string]componentStatus {
	for name, r := range routes {
		c := components[name]
		c.url = r.url
		if !r.ready {
			c.fail(r.message)
		}
		components[name] = c
	}
	if shared != nil {
		components[workload.Component] = componentStatus{readiness: *shared}
	}
	return components
}

// observeCluster reads the cluster's observed status. The cluster is ready
// for the next stage once it is Ready and its kubeconfig exists.
func observeCluster(obs observed.State, kc []byte) clusterStatus {
	at := []string{"status", "atProvider"}
	st := clusterStatus{
		id:      obs.String(lke.ClusterKey, append(at, "id")...),
		status:  obs.String(lke.ClusterKey, append(at, "status")...),
		version: obs.String(lke.ClusterKey, append(at, "k8sVersion")...),
		ready:   obs.Ready(lke.ClusterKey) && len(kc) > 0,
	}
	if eps := obs.List(lke.ClusterKey, append(at, "apiEndpoints")...); len(eps) > 0 {
		st.endpoint = eps[0].GetStringValue()
	}
	return st
}

// enabled is the add-ons the spec turns on.
func enabled(s *spec.Spec) addons.Selection {
	loki, tempo, grafana, alloy := s.Components.O11yStack.Parts()
	return addons.Selection{
		Gateway:       s.Components.GatewayFabric.IsEnabled(),
		Observability: addons.Observability{Loki: loki, Tempo: tempo, Grafana: grafana, Alloy: alloy},
		Headlamp:      s.Components.Headlamp.IsEnabled(),
		Harbor:        s.Components.Harbor.IsEnabled(),
	}
}

// selection is the enabled add-ons with what they take from the Input, the
// site and the control plane's Secrets.
func selection(c composition, st site) addons.Selection {
	set, sel := c.settings, enabled(c.spec)
	sel.Observability.GrafanaAdminSecret = set.GrafanaAdminSecret
	sel.HarborAdminSecret, sel.HarborAdminProblem = set.HarborAdminSecret, c.fetched.harborAdmin
	sel.SecretNamespace, sel.GeneratorImage = set.SecretNamespace, set.SecretGeneratorImage
	sel.Domain, sel.URLs, sel.Issuer = st.workloadDomain, st.urls(), st.issuer(c.spec, set)
	return sel
}

// componentNames returns the status keys in order.
func (p *platform) componentNames() []string {
	return sorted.Keys(p.components)
}
