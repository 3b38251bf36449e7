package standin

import (
	"context"
	"encoding/base64"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/platformcluster/function-platform-cluster/test/live/plane"
)

// GatewayAddress is the address the first NodeBalancer gets, the
// Gateway's until MoveGateway, from the documentation range (RFC 5737).
const GatewayAddress = "192.0.2.10"

// Cluster stands in for NGINX Gateway Fabric's control plane, whose pod
// kwok only pretends to run, and only while its Deployment is available:
// for each Gateway it provisions the data plane's LoadBalancer Service
// (named <gateway>-<gatewayclass> and labelled with the Gateway's name, as
// NGINX Gateway Fabric does, with no owner reference), deletes it when the
// Gateway goes, reports the Gateway Programmed at that Service's load
// balancer address, and HTTPRoutes Accepted. Everything else on the
// workload cluster is run by Kubernetes' own controllers and kwok's nodes.
type Cluster struct {
	Workload *plane.Kube
	// moved is the Gateways' address after MoveGateway.
	moved atomic.Pointer[string]

	mu      sync.Mutex
	up      bool
	checked time.Time
}

// gatewayNameLabel is the label NGINX Gateway Fabric puts on what it
// provisions for a Gateway.
const gatewayNameLabel = "gateway.networking.k8s.io/gateway-name"

// MoveGateway gives every Gateway a new address from now on, as a load
// balancer replaced under it would.
func (c *Cluster) MoveGateway(address string) { c.moved.Store(&address) }

// Run reconciles until ctx ends.
func (c *Cluster) Run(ctx context.Context, logf Logf) {
	run(ctx, logf, time.Second,
		reconcile{kube: c.Workload, gvk: gvk("gateway.networking.k8s.io", "v1", "Gateway"), fn: c.whileRunning(c.gateway)},
		reconcile{kube: c.Workload, gvk: serviceKind, fn: c.whileRunning(c.gatewayGone)},
		reconcile{kube: c.Workload, gvk: gvk("gateway.networking.k8s.io", "v1", "HTTPRoute"), fn: c.whileRunning(statusOnly(routeAccepted))},
	)
}

// whileRunning runs fn only while NGINX Gateway Fabric's control plane
// Deployment is available: uninstalled, it does nothing.
func (c *Cluster) whileRunning(fn func(context.Context, resourceClient, *unstructured.Unstructured) error) func(context.Context, resourceClient, *unstructured.Unstructured) error {
	return func(ctx context.Context, r resourceClient, u *unstructured.Unstructured) error {
		running, err := c.running(ctx)
		if err != nil || !running {
			return err
		}
		return fn(ctx, r, u)
	}
}

// running says whether the control plane's Deployment is available, looked
// up at most once a second.
func (c *Cluster) running(ctx context.Context) (bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if time.Since(c.checked) < time.Second {
		return c.up, nil
	}
	ds, err := c.Workload.List(ctx, gvk("apps", "v1", "Deployment"), "", "app.kubernetes.io/name=nginx-gateway-fabric")
	if err != nil {
		return false, err
	}
	c.up, c.checked = false, time.Now()
	for _, d := range ds {
		if n, _, _ := unstructured.NestedInt64(d.Object, "status", "availableReplicas"); n > 0 && d.GetDeletionTimestamp() == nil {
			c.up = true
		}
	}
	return c.up, nil
}

// gatewayGone deletes a provisioned Service whose Gateway is gone.
func (c *Cluster) gatewayGone(ctx context.Context, _ resourceClient, u *unstructured.Unstructured) error {
	gw := u.GetLabels()[gatewayNameLabel]
	if gw == "" || u.GetDeletionTimestamp() != nil {
		return nil
	}
	g, err := c.Workload.Get(ctx, gvk("gateway.networking.k8s.io", "v1", "Gateway"), u.GetNamespace(), gw)
	if err == nil && g.GetDeletionTimestamp() == nil {
		return nil
	}
	if err != nil && !apierrors.IsNotFound(err) && !meta.IsNoMatchError(err) {
		return err
	}
	return c.Workload.Delete(ctx, serviceKind, u.GetNamespace(), u.GetName())
}

// statusOnly writes the status set returns, when it changed anything.
func statusOnly(set func(u *unstructured.Unstructured) bool) func(context.Context, resourceClient, *unstructured.Unstructured) error {
	return func(ctx context.Context, r resourceClient, u *unstructured.Unstructured) error {
		if u.GetDeletionTimestamp() != nil || !set(u) {
			return nil
		}
		_, err := r.UpdateStatus(ctx, u, metav1.UpdateOptions{})
		return err
	}
}

// gateway provisions a Gateway's Service and reports the Gateway
// Programmed once its load balancer has an address.
func (c *Cluster) gateway(ctx context.Context, r resourceClient, u *unstructured.Unstructured) error {
	if u.GetDeletionTimestamp() != nil {
		return nil
	}
	svc := gatewayService(u)
	if err := c.Workload.Apply(ctx, svc); err != nil {
		return err
	}
	address := ""
	if a := c.moved.Load(); a != nil {
		address = *a
	} else if got, err := c.Workload.Get(ctx, serviceKind, svc.GetNamespace(), svc.GetName()); err == nil {
		address = loadBalancerIP(got)
	} else {
		return err
	}
	if address == "" || !gatewayProgrammed(u, address) {
		return nil
	}
	_, err := r.UpdateStatus(ctx, u, metav1.UpdateOptions{})
	return err
}

// gatewayService is the data plane's LoadBalancer Service of a Gateway,
// with a port for every port its listeners use.
func gatewayService(gw *unstructured.Unstructured) *unstructured.Unstructured {
	class, _, _ := unstructured.NestedString(gw.Object, "spec", "gatewayClassName")
	listeners, _, _ := unstructured.NestedSlice(gw.Object, "spec", "listeners")
	var ports []any
	seen := map[int64]bool{}
	for _, l := range listeners {
		port, _, _ := unstructured.NestedInt64(l.(map[string]any), "port")
		if port == 0 || seen[port] {
			continue
		}
		seen[port] = true
		ports = append(ports, map[string]any{"name": "port-" + itoa(port), "port": port, "targetPort": port, "protocol": "TCP"})
	}
	return &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "v1", "kind": "Service",
		"metadata": map[string]any{
			"name": gw.GetName() + "-" + class, "namespace": gw.GetNamespace(),
			"labels": map[string]any{gatewayNameLabel: gw.GetName()},
		},
		"spec": map[string]any{
			"type": "LoadBalancer", "externalTrafficPolicy": "Local", "ports": ports,
			"selector": map[string]any{gatewayNameLabel: gw.GetName()},
		},
	}}
}

// gatewayProgrammed reports a Gateway Programmed at address for its current
// generation: listeners added later are observed too.
func gatewayProgrammed(u *unstructured.Unstructured, address string) bool {
	g := u.GetGeneration()
	as, _, _ := unstructured.NestedSlice(u.Object, "status", "addresses")
	if p := plane.Condition(u, "Programmed"); p["status"] == "True" && observedAt(p, g) && len(as) == 1 && as[0].(map[string]any)["value"] == address {
		return false
	}
	_ = unstructured.SetNestedSlice(u.Object, []any{map[string]any{"type": "IPAddress", "value": address}}, "status", "addresses")
	_ = unstructured.SetNestedSlice(u.Object, []any{condition("Accepted", "Accepted", g), condition("Programmed", "Programmed", g)}, "status", "conditions")
	return true
}

// routeAccepted reports an HTTPRoute Accepted by every parent it names,
// whatever listener (sectionName) it attaches to, for its current
// generation.
func routeAccepted(u *unstructured.Unstructured) bool {
	g := u.GetGeneration()
	if ps, _, _ := unstructured.NestedSlice(u.Object, "status", "parents"); len(ps) > 0 && parentsObservedAt(ps, g) {
		return false
	}
	refs, _, _ := unstructured.NestedSlice(u.Object, "spec", "parentRefs")
	var parents []any
	for _, ref := range refs {
		parents = append(parents, map[string]any{
			"parentRef":      ref,
			"controllerName": "gateway.nginx.org/nginx-gateway-controller",
			"conditions":     []any{condition("Accepted", "Accepted", g), condition("ResolvedRefs", "ResolvedRefs", g)},
		})
	}
	if len(parents) == 0 {
		return false
	}
	_ = unstructured.SetNestedSlice(u.Object, parents, "status", "parents")
	return true
}

func parentsObservedAt(parents []any, generation int64) bool {
	for _, p := range parents {
		conds, _, _ := unstructured.NestedSlice(p.(map[string]any), "conditions")
		for _, c := range conds {
			if !observedAt(c.(map[string]any), generation) {
				return false
			}
		}
	}
	return true
}

func observedAt(c map[string]any, generation int64) bool {
	return fmt.Sprint(c["observedGeneration"]) == itoa(generation)
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
