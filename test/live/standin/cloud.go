package standin

import (
	"context"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/platformcluster/function-platform-cluster/test/live/plane"
)

// loadBalancerCleanup is the finalizer Kubernetes' service controller
// library, which the Linode cloud controller manager runs, puts on every
// LoadBalancer Service before it creates the load balancer, and removes
// once the load balancer is deleted.
const loadBalancerCleanup = "service.kubernetes.io/load-balancer-cleanup"

var serviceKind = gvk("", "v1", "Service")

// Cloud stands in for the service controller of Linode's cloud controller
// manager, which LKE runs for every cluster: a LoadBalancer Service gets a
// NodeBalancer in the account and its address in
// status.loadBalancer.ingress, behind the load-balancer-cleanup finalizer;
// when the Service goes, or stops being a LoadBalancer, the NodeBalancer is
// deleted and the finalizer released. Once the LKE cluster is deleted at
// Linode, nothing runs any more.
type Cloud struct {
	Workload *plane.Kube
	Account  *Account
}

// Run reconciles until ctx ends.
func (c *Cloud) Run(ctx context.Context, logf Logf) {
	run(ctx, logf, time.Second, reconcile{kube: c.Workload, gvk: serviceKind, fn: c.service})
}

func (c *Cloud) service(ctx context.Context, r resourceClient, u *unstructured.Unstructured) error {
	if !c.Account.clusterRunning() {
		return nil
	}
	key := u.GetNamespace() + "/" + u.GetName()
	typ, _, _ := unstructured.NestedString(u.Object, "spec", "type")
	held := contains(u.GetFinalizers(), loadBalancerCleanup)
	if u.GetDeletionTimestamp() != nil || typ != "LoadBalancer" {
		if !held {
			return nil
		}
		c.Account.deleteNodeBalancer(key)
		u.SetFinalizers(without(u.GetFinalizers(), loadBalancerCleanup))
		_, err := r.Update(ctx, u, metav1.UpdateOptions{})
		return err
	}
	if !held {
		u.SetFinalizers(append(u.GetFinalizers(), loadBalancerCleanup))
		var err error
		if u, err = r.Update(ctx, u, metav1.UpdateOptions{}); err != nil {
			return err
		}
	}
	nb := c.Account.ensureNodeBalancer(key)
	if ingress, _, _ := unstructured.NestedSlice(u.Object, "status", "loadBalancer", "ingress"); len(ingress) == 1 && ingress[0].(map[string]any)["ip"] == nb.IPv4 {
		return nil
	}
	_ = unstructured.SetNestedSlice(u.Object, []any{map[string]any{"ip": nb.IPv4, "ipMode": "VIP"}}, "status", "loadBalancer", "ingress")
	_, err := r.UpdateStatus(ctx, u, metav1.UpdateOptions{})
	return err
}

// loadBalancerIP is a Service's load balancer address, "" until it has one.
func loadBalancerIP(u *unstructured.Unstructured) string {
	ingress, _, _ := unstructured.NestedSlice(u.Object, "status", "loadBalancer", "ingress")
	if len(ingress) == 0 {
		return ""
	}
	ip, _ := ingress[0].(map[string]any)["ip"].(string)
	return ip
}
