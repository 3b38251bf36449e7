package fn

import (
	"fmt"

	"github.com/platformcluster/function-platform-cluster/fn/addons"
	"github.com/platformcluster/function-platform-cluster/fn/compose"
	"github.com/platformcluster/function-platform-cluster/fn/observed"
	"github.com/platformcluster/function-platform-cluster/fn/protection"
	"github.com/platformcluster/function-platform-cluster/fn/providerconfig"
	"github.com/platformcluster/function-platform-cluster/fn/teardown"
)

// The order of composition. Nothing reaches for the new cluster before it
// exists, so each stage waits for the one before:
//
//  1. the LKE Cluster and its NodePools (and the Linode ProviderConfig)
//     need nothing;
//  2. the helm and kubernetes ProviderConfigs need the cluster published;
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

// admitted is what admit let into desired state so far, and what it held
// back. It is the one record the phases of plan share: each adds to it only
// through admit, and reads from it only what was composed (find).
type admitted struct {
	// owner is who the composed resources belong to, for names and labels.
	owner     compose.Owner
	obs       observed.State
	resources []desired
	// waiting lists what is held back until something it needs is ready.
	waiting waits
}

// desired is a composed resource and whether it counts as ready.
type desired struct {
	compose.Resource
	ready bool
}

// need is something an item waits for before it is first composed.
type need struct {
	// what names it in status messages.
	what string
	met  bool
}

func (c clusterStatus) published() need {
	return need{what: "the LKE cluster to be ready and publish its kubeconfig", met: c.ready}
}

func (a *admitted) providerConfigsExist() need {
	met := a.obs.Exists(providerconfig.HelmKey) && a.obs.Exists(providerconfig.KubernetesKey)
	return need{what: "the cluster's ProviderConfigs", met: met}
}

// storageReady is met once the platform's StorageClass is on the cluster,
// so that volumes made after it carry the claim's tag.
func (a *admitted) storageReady() need {
	return need{what: "the platform's StorageClass", met: a.obs.Ready(teardown.StorageClassKey)}
}

func (a *admitted) gatewayProgrammed() need {
	return need{what: "the default Gateway to be programmed", met: a.obs.Ready(addons.GatewayKey)}
}

func (a *admitted) resourceReady(key string) need {
	return need{what: key, met: a.obs.Ready(key)}
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
func (a *admitted) admit(it item) (ready bool, held []string) {
	if held = unmet(it.needs); len(held) > 0 && !a.obs.Exists(it.Key) {
		a.waiting = append(a.waiting, wait{what: it.Key, on: held})
		return false, held
	}
	if it.readyWhenObserved {
		ready = a.obs.Exists(it.Key)
	} else {
		ready = a.obs.Ready(it.Key)
	}
	a.resources = append(a.resources, desired{Resource: it.Resource, ready: ready})
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
func (a *admitted) stageWaits(stage string, needs ...need) []string {
	held := unmet(needs)
	if len(held) > 0 {
		a.waiting = append(a.waiting, wait{what: stage, on: held})
	}
	return held
}

func (a *admitted) find(key string) (compose.Resource, bool) {
	for _, r := range a.resources {
		if r.Key == key {
			return r.Resource, true
		}
	}
	return compose.Resource{}, false
}

// protect makes of outlive by.
func (a *admitted) protect(of protection.Ref, by compose.Resource) {
	a.admit(item{Resource: protection.Usage(a.owner, of, protection.RefOf(by)), readyWhenObserved: true})
}

// settling reports whether anything is held back or not ready yet.
func (a *admitted) settling() bool {
	if len(a.waiting) > 0 {
		return true
	}
	for _, r := range a.resources {
		if !r.ready {
			return true
		}
	}
	return false
}
