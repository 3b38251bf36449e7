package fn

import (
	"sort"

	"github.com/platformcluster/function-platform-cluster/fn/addons"
	"github.com/platformcluster/function-platform-cluster/fn/compose"
	"github.com/platformcluster/function-platform-cluster/fn/lke"
	"github.com/platformcluster/function-platform-cluster/fn/observed"
	"github.com/platformcluster/function-platform-cluster/fn/protection"
	"github.com/platformcluster/function-platform-cluster/fn/providerconfig"
	"github.com/platformcluster/function-platform-cluster/fn/publish"
	"github.com/platformcluster/function-platform-cluster/fn/settings"
	"github.com/platformcluster/function-platform-cluster/fn/spec"
	"github.com/platformcluster/function-platform-cluster/fn/workload"
)

// platform is everything one reconcile composes and reports.
type platform struct {
	// owner is who the composed resources belong to, for names and labels.
	owner compose.Owner
	obs   observed.State

	resources []desired
	// waiting lists what is held back until something it needs is ready.
	waiting  waits
	warnings []string

	cluster clusterStatus
	// clusterRef is the LKE Cluster, which everything on it must outlive.
	clusterRef protection.Ref
	// kubernetesPC is the kubernetes ProviderConfig, which every Object
	// whose deletion a Usage may hold back must outlive (teardown.go).
	kubernetesPC protection.Ref
	// teardown is what deleting the claim waits for.
	teardown teardownStatus
	// addresses are the default Gateway's, once it has any; the first is
	// where DNS names must point.
	addresses  []string
	components map[string]componentStatus
	// dns and certs track the records and certificates of a platform
	// published under a domain; nil when there are none.
	dns, certs *progress
	domain     string
	workloads  []workloadStatus
	kubeconfig []byte
	// gatewayAPICRDs is the Gateway API CRDs' installer that completed
	// (addons.CRDsInstalled), reported in the XR's status.
	gatewayAPICRDs string
}

// desired is a composed resource and whether it counts as ready.
type desired struct {
	compose.Resource
	ready bool
}

type clusterStatus struct {
	id, status, endpoint, version string
	ready                         bool
}

type componentStatus struct {
	ready   bool
	message string
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

// plan composes the platform in the stages stages.go describes.
func plan(c composition, cache *workload.Cache) *platform {
	p := &platform{owner: c.owner, obs: c.observed, components: map[string]componentStatus{}}
	p.warnings = append(p.warnings, c.settings.Warnings...)
	clusterRef, linodePC := p.addCluster(c)
	p.addProviderConfigs(c.settings, clusterRef)
	wls := convertWorkloads(c, cache)
	sel := selection(c.spec, c.settings)
	sel.HarborAdminProblem = c.fetched.harborAdmin
	st := newSite(c.spec, c.settings, sel, wls.routeHosts())
	p.warnings = append(p.warnings, st.warnings...)
	p.domain = st.domain
	sel.URLs, sel.Issuer = st.urls(), st.issuer(c.spec, c.settings)
	p.addAddons(sel, c.settings, st.httpsHosts(), c.gatewayAPICRDs)
	p.addPublishing(st, c.settings, linodePC)
	p.addWorkloads(c, wls, st.listeners)
	p.addTeardown(c)
	if c.fetched.harborAdmin != "" {
		p.warnings = append(p.warnings, "spec.components.harbor: "+c.fetched.harborAdmin)
	}
	return p
}

// addCluster composes the LKE Cluster, its NodePools and, if asked, the
// Linode ProviderConfig, and reads the cluster's observed status. It returns
// the cluster and the Linode ProviderConfig every Linode resource uses.
func (p *platform) addCluster(c composition) (protection.Ref, string) {
	set := c.settings
	linodePC := set.LinodeProviderConfig
	if set.CreateLinodeProviderConfig {
		t := set.LinodeCredentials
		token := providerconfig.SecretRef{Name: t.Name, Namespace: t.Namespace, Key: t.Key}
		p.admit(item{Resource: providerconfig.Linode(p.owner, token), readyWhenObserved: true})
		linodePC = providerconfig.LinodeName(p.owner.XR)
	}
	lc := lke.Config{ProviderConfig: linodePC, SecretNamespace: set.SecretNamespace}
	cluster := lke.Cluster(p.owner, &c.spec.ClusterSpec, lc)
	p.admit(item{Resource: cluster})
	clusterRef := protection.RefOf(cluster)
	p.clusterRef = clusterRef
	for _, np := range lke.NodePools(p.owner, &c.spec.ClusterSpec, lc) {
		p.admit(item{Resource: np})
		p.protect(clusterRef, np)
	}
	kc, ok := p.obs.ConnectionDetail(lke.ClusterKey, lke.KubeconfigKey)
	if !ok {
		kc = c.fetched.kubeconfig
	}
	p.observeCluster(kc)
	return clusterRef, linodePC
}

// addProviderConfigs composes the helm and kubernetes ProviderConfigs that
// reach the new cluster.
func (p *platform) addProviderConfigs(set settings.Settings, clusterRef protection.Ref) {
	kubeconfig := providerconfig.SecretRef{Name: lke.KubeconfigSecretName(p.owner.XR), Namespace: set.SecretNamespace, Key: lke.KubeconfigKey}
	needs := []need{p.clusterPublished()}
	p.stageWaits("ProviderConfigs", needs...)
	for _, pc := range []compose.Resource{providerconfig.Helm(p.owner, kubeconfig), providerconfig.Kubernetes(p.owner, kubeconfig)} {
		if _, held := p.admit(item{Resource: pc, needs: needs, readyWhenObserved: true}); held != nil {
			continue
		}
		// A ProviderConfig cannot be deleted while a Release or Object
		// still uses it, so making the cluster outlive the two
		// ProviderConfigs makes it outlive everything installed on it,
		// with two ClusterUsages instead of one per Release and Object.
		p.protect(clusterRef, pc)
		if pc.Key == providerconfig.KubernetesKey {
			p.kubernetesPC = protection.RefOf(pc)
		}
	}
}

// addAddons composes the enabled add-ons in their order, and tracks each
// component's readiness.
func (p *platform) addAddons(sel addons.Selection, set settings.Settings, https []publish.Host, installed string) {
	g := addons.Gateway{
		Name: set.Gateway.Name, Namespace: set.Gateway.Namespace, ClassName: set.Gateway.ClassName, HTTPS: https,
		KubectlImage: set.SecretGeneratorImage, CRDsManifest: set.Gateway.CRDsManifest, CRDsInstalled: installed,
	}
	if sel.Gateway {
		job := p.obs.String(addons.CRDsKey, "status", "atProvider", "manifest", "metadata", "name")
		p.gatewayAPICRDs = addons.CRDsInstalled(g, job, p.obs.RemoteStatus(addons.CRDsKey, "Complete"))
	}
	for _, it := range addons.Plan(p.owner, sel, g, set.Charts) {
		needs := []need{p.providerConfigsExist()}
		if it.Volumes {
			needs = append(needs, p.storageReady())
		}
		for _, k := range it.After {
			needs = append(needs, p.resourceReady(k))
		}
		if it.Blocked != "" {
			needs = append(needs, need{what: it.Blocked})
		}
		c := p.components[it.Component]
		ready, held := p.admit(item{Resource: it.Resource, needs: needs})
		switch {
		case held != nil:
			p.components[it.Component] = worse(c, waitsFor(it.Key, held))
			continue
		case ready:
			p.components[it.Component] = better(c)
		default:
			p.components[it.Component] = worse(c, it.Key+": "+p.obs.Message(it.Key))
		}
		for _, k := range it.Uses {
			if r, ok := p.find(k); ok {
				p.protect(protection.RefOf(r), it.Resource)
			}
		}
	}
	// provider-kubernetes reports the Gateway it observed; its addresses
	// are where the DNS names of the platform's hosts must point.
	for _, a := range p.obs.List(addons.GatewayKey, "status", "atProvider", "manifest", "status", "addresses") {
		if v := a.GetStructValue().GetFields()["value"].GetStringValue(); v != "" {
			p.addresses = append(p.addresses, v)
		}
	}
}

// better marks a component ready unless one of its resources already
// reported it is not.
func better(c componentStatus) componentStatus {
	if c.message == "" {
		c.ready = true
	}
	return c
}

func worse(c componentStatus, msg string) componentStatus {
	if c.message == "" {
		c.message = msg
	}
	c.ready = false
	return c
}

func (p *platform) find(key string) (compose.Resource, bool) {
	for _, r := range p.resources {
		if r.Key == key {
			return r.Resource, true
		}
	}
	return compose.Resource{}, false
}

// protect makes of outlive by.
func (p *platform) protect(of protection.Ref, by compose.Resource) {
	p.admit(item{Resource: protection.Usage(p.owner, of, protection.RefOf(by)), readyWhenObserved: true})
}

// observeCluster reads the cluster's observed status. The cluster is ready
// for the next stage once it is Ready and its kubeconfig exists.
func (p *platform) observeCluster(kc []byte) {
	at := []string{"status", "atProvider"}
	p.cluster = clusterStatus{
		id:      p.obs.String(lke.ClusterKey, append(at, "id")...),
		status:  p.obs.String(lke.ClusterKey, append(at, "status")...),
		version: p.obs.String(lke.ClusterKey, append(at, "k8sVersion")...),
	}
	if eps := p.obs.List(lke.ClusterKey, append(at, "apiEndpoints")...); len(eps) > 0 {
		p.cluster.endpoint = eps[0].GetStringValue()
	}
	p.kubeconfig = kc
	p.cluster.ready = p.obs.Ready(lke.ClusterKey) && len(kc) > 0
}

func selection(s *spec.Spec, set settings.Settings) addons.Selection {
	loki, tempo, grafana, alloy := s.Components.O11yStack.Parts()
	return addons.Selection{
		Gateway: s.Components.GatewayFabric.IsEnabled(),
		Observability: addons.Observability{
			Loki: loki, Tempo: tempo, Grafana: grafana, Alloy: alloy,
			GrafanaAdminSecret: set.GrafanaAdminSecret,
		},
		Headlamp:          s.Components.Headlamp.IsEnabled(),
		Harbor:            s.Components.Harbor.IsEnabled(),
		HarborAdminSecret: set.HarborAdminSecret,
		SecretNamespace:   set.SecretNamespace,
		GeneratorImage:    set.SecretGeneratorImage,
		Domain:            workloadDomain(s, set),
	}
}

// componentNames returns the status keys in order.
func (p *platform) componentNames() []string {
	names := make([]string, 0, len(p.components))
	for n := range p.components {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
