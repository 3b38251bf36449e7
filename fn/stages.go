package fn

import (
	"fmt"

	"github.com/platformcluster/function-platform-cluster/fn/addons"
	"github.com/platformcluster/function-platform-cluster/fn/compose"
	"github.com/platformcluster/function-platform-cluster/fn/providerconfig"
	"github.com/platformcluster/function-platform-cluster/fn/teardown"
)

// The order of composition. Nothing reaches for the new cluster before it
// exists, so each stage waits for the one before:
//
//  1. the LKE Cluster and its NodePools (and the Linode ProviderConfig)
//     need nothing;
//  2. the helm and kubernetes ProviderConfigs need clusterPublished;
//  3. each add-on needs providerConfigsExist, and each add-on it comes
//     after (addons.Item.After) Ready;
//  4. workloads need providerConfigsExist and, with the gateway enabled,
//     gatewayProgrammed, so routes attach to a working Gateway.
//
// Add-ons with volumes, and workloads, also need storageReady, so that
// their volumes come from the platform's StorageClass (fn/teardown).
//
// A platform published under a domain adds DNS records, certificates and
// the UIs' routes on top (publishing.go says what each waits for).
//
// ClusterUsages, and what a broken workload keeps, need nothing: they
// protect or repeat what is composed already.
//
// While anything waits, an item that admit holds back or a stage whose
// needs are unmet (stageWaits), the XR is held Ready=False: Crossplane
// would call it ready once everything composed so far is.

// need is something an item waits for before it is first composed.
type need struct {
	// what names it in status messages.
	what string
	met  bool
}

func (p *platform) clusterPublished() need {
	return need{what: "the LKE cluster to be ready and publish its kubeconfig", met: p.cluster.ready}
}

func (p *platform) providerConfigsExist() need {
	met := p.obs.Exists(providerconfig.HelmKey) && p.obs.Exists(providerconfig.KubernetesKey)
	return need{what: "the cluster's ProviderConfigs", met: met}
}

// storageReady is met once the platform's StorageClass is on the cluster,
// so that volumes made after it carry the claim's tag.
func (p *platform) storageReady() need {
	return need{what: "the platform's StorageClass", met: p.obs.Ready(teardown.StorageClassKey)}
}

func (p *platform) gatewayProgrammed() need {
	return need{what: "the default Gateway to be programmed", met: p.obs.Ready(addons.GatewayKey)}
}

func (p *platform) resourceReady(key string) need {
	return need{what: key, met: p.obs.Ready(key)}
}

// unmet lists what of needs is not met yet.
func unmet(needs []need) []string {
	var out []string
	for _, n := range needs {
		if !n.met {
			out = append(out, n.what)
		}
	}
	return out
}

// item is one composed resource and what it waits for.
type item struct {
	compose.Resource
	needs []need
	// readyWhenObserved marks kinds that have no Ready condition
	// (ProviderConfigs, ClusterUsages): for them, existing is ready.
	readyWhenObserved bool
}

// admit is the one way into desired state. An item is composed once all it
// needs is met, and from then on always: a resource composed before is
// composed again whatever its needs say now, because dropping it from
// desired state would delete it. It returns whether the composed item is
// ready, or, when it holds the item back, what the item waits for.
func (p *platform) admit(it item) (ready bool, held []string) {
	if held = unmet(it.needs); len(held) > 0 && !p.obs.Exists(it.Key) {
		p.waiting = append(p.waiting, wait{what: it.Key, on: held})
		return false, held
	}
	if it.readyWhenObserved {
		ready = p.obs.Exists(it.Key)
	} else {
		ready = p.obs.Ready(it.Key)
	}
	p.resources = append(p.resources, desired{Resource: it.Resource, ready: ready})
	return ready, nil
}

func waitsFor(what string, held []string) string {
	return fmt.Sprintf("%s waits for %v", what, held)
}

// wait is something held back and what it waits for.
type wait struct {
	what string
	on   []string
}

// waits are formatted only when logged: most calls never log them.
type waits []wait

func (ws waits) String() string {
	msgs := make([]string, 0, len(ws))
	for _, w := range ws {
		msgs = append(msgs, waitsFor(w.what, w.on))
	}
	return join(msgs)
}

// stageWaits holds the XR while a stage's needs are unmet, even when the
// stage's resources were composed before, and returns what the stage waits
// for.
func (p *platform) stageWaits(stage string, needs ...need) []string {
	held := unmet(needs)
	if len(held) > 0 {
		p.waiting = append(p.waiting, wait{what: stage, on: held})
	}
	return held
}
