package fn

import (
	"strings"

	"google.golang.org/protobuf/types/known/structpb"

	"github.com/crossplane/function-sdk-go/resource"

	"github.com/platformcluster/function-platform-cluster/fn/addons"
	"github.com/platformcluster/function-platform-cluster/fn/compose"
	"github.com/platformcluster/function-platform-cluster/fn/protection"
	"github.com/platformcluster/function-platform-cluster/fn/settings"
	"github.com/platformcluster/function-platform-cluster/fn/sorted"
	"github.com/platformcluster/function-platform-cluster/fn/teardown"
)

// addTeardown composes what makes deleting the claim clean up at Linode
// before the LKE Cluster goes (README.md, "Teardown"): the platform's
// StorageClass, the collection that observes every volume claim on the
// cluster, a guard per volume and for the Gateway's load balancer, and the
// ClusterUsages that order their deletion. Every guard makes kubernetesPC
// outlive it; it returns what deleting the claim will wait for.
func addTeardown(a *admitted, c composition, kubernetesPC protection.Ref) teardownStatus {
	t := teardownStatus{volumesOnDelete: c.spec.VolumesOnDelete}
	needs := []need{a.providerConfigsExist()}
	a.admit(item{Resource: teardown.StorageClass(a.owner, c.claimTag), needs: needs})
	if _, held := a.admit(item{Resource: teardown.Collection(a.owner), needs: needs, readyWhenObserved: true}); held != nil {
		return t
	}
	if c.fetched.volumes == nil {
		// Crossplane has not fetched the collection's members for this
		// call: keep every guard as it is. Dropping one would delete it,
		// and with it the volume it guards.
		keepGuards(a, c)
		t.unknown = true
	} else {
		t.volumes = guardVolumes(a, *c.fetched.volumes, c.spec.KeepsVolumes(), kubernetesPC)
	}
	t.loadBalancers = guardGatewayLB(a, c.settings, kubernetesPC)
	return t
}

// Every guard makes the kubernetes ProviderConfig outlive it, and so the
// cluster, which outlives the ProviderConfig. A ProviderConfigUsage is not
// enough: the live suite found the ProviderConfig deleted while the
// Gateway's load balancer guard, whose own deletion the Gateway's Usage
// held back, still needed it, and the guard then could never be deleted.

// guardVolumes composes each volume's guards, and returns the volumes
// guarded. A guard of a volume that is no longer on the cluster is dropped,
// and its deletion finds nothing to do.
func guardVolumes(a *admitted, vs []teardown.Volume, keep bool, kubernetesPC protection.Ref) []teardown.Volume {
	var guarded []teardown.Volume
	for _, v := range vs {
		pvc := teardown.PVCGuard(a.owner, v, keep)
		a.admit(item{Resource: pvc, readyWhenObserved: true})
		a.protect(kubernetesPC, pvc)
		guarded = append(guarded, v)
		if v.PV == "" {
			continue
		}
		pv := teardown.PVGuard(a.owner, v, keep)
		a.admit(item{Resource: pv, readyWhenObserved: true})
		// The volume is deleted after its claim: deleting a bound
		// PersistentVolume first would leave the Linode volume behind
		// where the CSI provisioner does not honour the reclaim policy of
		// a deleted PersistentVolume.
		a.protect(protection.RefOf(pv), pvc)
		a.protect(kubernetesPC, pv)
	}
	return guarded
}

// keepGuards composes again, unchanged, the guards and their usages last
// composed.
func keepGuards(a *admitted, c composition) {
	// Volume guards' keys, and those of the usages they are used by, start
	// so; no other key does.
	objs := c.observed.Carry(func(key string, _ *structpb.Struct) bool {
		return strings.HasPrefix(key, "teardown-pv") || strings.HasPrefix(key, "usage-teardown-pv")
	})
	for _, key := range sorted.Keys(objs) {
		a.admit(item{Resource: compose.Resource{Key: key, Object: objs[key]}, readyWhenObserved: true})
	}
}

// guardGatewayLB composes the guard of the default Gateway's LoadBalancer
// Service once the Gateway is composed. The guard outlives the Gateway, so
// it deletes the Service only after NGINX Gateway Fabric had its chance to
// (deleting it under a running Gateway would have it provisioned again,
// with a new NodeBalancer), and the cluster outlives the guard. It returns
// the Service guarded, as namespace/name.
func guardGatewayLB(a *admitted, set settings.Settings, kubernetesPC protection.Ref) []string {
	gw, ok := a.find(addons.GatewayKey)
	if !ok {
		return nil
	}
	g := set.Gateway
	lb := teardown.GatewayLB(a.owner, g.Namespace, g.Name, g.ClassName)
	a.admit(item{Resource: lb, readyWhenObserved: true})
	a.protect(protection.RefOf(lb), gw)
	a.protect(kubernetesPC, lb)
	return []string{g.Namespace + "/" + teardown.GatewayServiceName(g.Name, g.ClassName)}
}

// teardownStatus is what deleting the claim will wait for before the LKE
// Cluster is deleted.
type teardownStatus struct {
	volumesOnDelete string
	volumes         []teardown.Volume
	loadBalancers   []string
	// unknown says the volumes could not be read on this call.
	unknown bool
}

// writeTeardown reports on the XR, and so on the claim, what deleting the
// claim deletes and waits for before the LKE Cluster goes. Crossplane does
// not call the function while an XR is deleted, so this is the last word
// the claim has during teardown; README.md says how to see which of these
// a stalled deletion still waits for.
func (p *platform) writeTeardown(dxr *resource.Composite) error {
	t := map[string]any{"volumesOnDelete": p.teardown.volumesOnDelete}
	if p.teardown.unknown {
		t["volumesUnknown"] = true
	}
	if len(p.teardown.volumes) > 0 {
		vs := make([]any, 0, len(p.teardown.volumes))
		for _, v := range p.teardown.volumes {
			e := map[string]any{"claim": v.ID()}
			if v.PV != "" {
				e["volume"] = v.PV
			}
			vs = append(vs, e)
		}
		t["volumes"] = vs
	}
	if len(p.teardown.loadBalancers) > 0 {
		lbs := make([]any, 0, len(p.teardown.loadBalancers))
		for _, lb := range p.teardown.loadBalancers {
			lbs = append(lbs, lb)
		}
		t["loadBalancers"] = lbs
	}
	return dxr.Resource.SetValue("status.teardown", t)
}
