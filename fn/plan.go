package fn

import (
	"fmt"
	"sort"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/resource"

	"github.com/platformcluster/function-platform-cluster/fn/addons"
	"github.com/platformcluster/function-platform-cluster/fn/compose"
	"github.com/platformcluster/function-platform-cluster/fn/lke"
	"github.com/platformcluster/function-platform-cluster/fn/observed"
	"github.com/platformcluster/function-platform-cluster/fn/protection"
	"github.com/platformcluster/function-platform-cluster/fn/providerconfig"
	"github.com/platformcluster/function-platform-cluster/fn/settings"
	"github.com/platformcluster/function-platform-cluster/fn/spec"
	"github.com/platformcluster/function-platform-cluster/fn/workload"
)

// platform is everything one reconcile composes and reports.
type platform struct {
	// Who the composed resources belong to, for names and labels.
	xrName, clusterName string
	labels              map[string]string

	resources []compose.Resource
	// waiting lists what is held back until something it needs is ready.
	waiting  []string
	warnings []string

	cluster    clusterStatus
	gateway    string // the default Gateway's address, once it has one
	components map[string]componentStatus
	workloads  []workloadStatus
	kubeconfig []byte
}

type clusterStatus struct {
	id, status, endpoint, version string
	ready                         bool
}

type componentStatus struct {
	ready   bool
	message string
}

// plan composes the platform in stages. A stage is composed only once what
// it needs is ready: the ProviderConfigs once the cluster is ready and has
// published its kubeconfig, add-ons once those ProviderConfigs exist, and
// each add-on once the add-ons it needs are ready. A resource that was
// composed before is always composed again, whatever its prerequisites say
// now: dropping it from desired state would delete it.
func plan(s *spec.Spec, set settings.Settings, xr *resource.Composite, obs observed.State, req *fnv1.RunFunctionRequest, conv *workload.Converter) *platform {
	xrName := xr.Resource.GetName()
	cs := &s.ClusterSpec
	labels := compose.InheritedLabels(xr.Resource.GetLabels())
	p := &platform{xrName: xrName, clusterName: cs.ClusterName, labels: labels, components: map[string]componentStatus{}}
	p.warnings = append(p.warnings, set.Warnings...)

	linodePC := set.LinodeProviderConfig
	if set.CreateLinodeProviderConfig {
		t := set.LinodeCredentials
		pc := providerconfig.Linode(xrName, providerconfig.SecretRef{Name: t.Name, Namespace: t.Namespace, Key: t.Key}, labels, cs.ClusterName)
		p.add(pc, obs.Exists(pc.Key))
		linodePC = providerconfig.LinodeName(xrName)
	}

	lp := lke.Params{XRName: xrName, ProviderConfig: linodePC, SecretNamespace: set.SecretNamespace, InheritedLabels: labels}
	cluster := compose.Resource{Key: lke.ClusterKey, Object: lke.Cluster(cs, lp)}
	p.add(cluster, obs.Ready(cluster.Key))
	clusterRef := protection.RefOf(cluster)
	for _, np := range lke.NodePools(cs, lp) {
		p.add(np, obs.Ready(np.Key))
		p.protect(clusterRef, np, obs)
	}
	p.observeCluster(obs, kubeconfig(req, obs))

	kubeconfigRef := providerconfig.SecretRef{Name: lke.KubeconfigSecretName(xrName), Namespace: set.SecretNamespace, Key: lke.KubeconfigKey}
	pcs := []compose.Resource{
		providerconfig.Helm(xrName, kubeconfigRef, labels, cs.ClusterName),
		providerconfig.Kubernetes(xrName, kubeconfigRef, labels, cs.ClusterName),
	}
	pcsExist := true
	for _, pc := range pcs {
		if p.cluster.ready || obs.Exists(pc.Key) {
			// ProviderConfigs have no Ready condition; existing is ready.
			p.add(pc, obs.Exists(pc.Key))
			// A ProviderConfig cannot be deleted while a Release or Object
			// still uses it, so making the cluster outlive the two
			// ProviderConfigs makes it outlive everything installed on it,
			// with two ClusterUsages instead of one per Release and Object.
			p.protect(clusterRef, pc, obs)
		}
		pcsExist = pcsExist && obs.Exists(pc.Key)
	}
	if !p.cluster.ready {
		p.waiting = append(p.waiting, "ProviderConfigs wait for the LKE cluster to be ready and publish its kubeconfig")
	}

	ap := addons.Params{
		XRName: xrName, Cluster: cs.ClusterName, Labels: labels,
		ProviderConfig: providerconfig.Name(xrName), Charts: set.Charts,
	}
	for _, item := range addons.Plan(selection(s, set), addons.Gateway(set.Gateway), ap) {
		p.addItem(item, pcsExist, obs)
	}
	// provider-kubernetes reports the Gateway it observed; its address is
	// where the DNS names of the workloads' routes must point.
	if addrs := obs.List(addons.GatewayKey, "status", "atProvider", "manifest", "status", "addresses"); len(addrs) > 0 {
		p.gateway = addrs[0].GetStructValue().GetFields()["value"].GetStringValue()
	}
	p.addWorkloads(s, set, req, workloadNamespace(set, xr.Resource.GetLabels()), ap, pcsExist, obs, conv)
	if s.Components.Harbor.IsEnabled() && set.HarborAdminSecret == "" {
		p.warnings = append(p.warnings, "spec.components.harbor: Harbor starts with its chart's well-known default admin password; change it at first login, or name a Secret holding one in the function Input's harbor.adminSecretName")
	}
	return p
}

// addItem composes one add-on resource when its prerequisites allow, and
// tracks its component's readiness.
func (p *platform) addItem(item addons.Item, pcsExist bool, obs observed.State) {
	var blocked []string
	if !pcsExist {
		blocked = append(blocked, "the cluster's ProviderConfigs")
	}
	for _, k := range item.After {
		if !obs.Ready(k) {
			blocked = append(blocked, k)
		}
	}
	c := p.components[item.Component]
	if len(blocked) > 0 && !obs.Exists(item.Key) {
		msg := fmt.Sprintf("%s waits for %v", item.Key, blocked)
		p.waiting = append(p.waiting, msg)
		p.components[item.Component] = worse(c, msg)
		return
	}
	ready := obs.Ready(item.Key)
	p.add(item.Resource, ready)
	for _, k := range item.Uses {
		if r, ok := p.find(k); ok {
			p.protect(protection.RefOf(r), item.Resource, obs)
		}
	}
	if ready {
		p.components[item.Component] = better(c)
		return
	}
	p.components[item.Component] = worse(c, item.Key+": "+obs.Message(item.Key))
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

func (p *platform) add(r compose.Resource, ready bool) {
	r.Ready = ready
	p.resources = append(p.resources, r)
}

func (p *platform) find(key string) (compose.Resource, bool) {
	for _, r := range p.resources {
		if r.Key == key {
			return r, true
		}
	}
	return compose.Resource{}, false
}

// protect makes of outlive by.
func (p *platform) protect(of protection.Ref, by compose.Resource, obs observed.State) {
	u := protection.Usage(of, protection.RefOf(by), p.xrName, p.labels, p.clusterName)
	p.add(u, obs.Exists(u.Key))
}

// observeCluster reads the cluster's observed status. The cluster is ready
// for the next stage once it is Ready and its kubeconfig exists.
func (p *platform) observeCluster(obs observed.State, kc []byte) {
	at := []string{"status", "atProvider"}
	p.cluster = clusterStatus{
		id:      obs.String(lke.ClusterKey, append(at, "id")...),
		status:  obs.String(lke.ClusterKey, append(at, "status")...),
		version: obs.String(lke.ClusterKey, append(at, "k8sVersion")...),
	}
	if eps := obs.List(lke.ClusterKey, append(at, "apiEndpoints")...); len(eps) > 0 {
		p.cluster.endpoint = eps[0].GetStringValue()
	}
	p.kubeconfig = kc
	p.cluster.ready = obs.Ready(lke.ClusterKey) && len(kc) > 0
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
