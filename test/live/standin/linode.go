package standin

import (
	"context"
	"hash/fnv"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/platformcluster/function-platform-cluster/test/live/plane"
)

// Linode stands in for provider-linode: an LKE Cluster becomes ready at
// once and publishes, at its writeConnectionSecretToRef, the kubeconfig of
// the plane's second API server; on deletion it withdraws that Secret and
// records the cluster deleted in the Account. NodePools become ready. DNS
// Domains and Records become ready with an ID, a Record once its
// domainIdRef resolves (linodedns.go).
type Linode struct {
	Mgmt *plane.Kube
	// Kubeconfig is what a new cluster's kubeconfig connection detail holds.
	Kubeconfig []byte
	// Endpoint is the cluster's API endpoint in status.
	Endpoint string
	// Account records the cluster's life: the in-cluster stand-ins run
	// only while it exists.
	Account *Account
	// Fleet, when set, gives further claims' clusters their own
	// kubeconfig, endpoint and account.
	Fleet *Fleet
}

// member is the cluster an LKE Cluster stands for.
func (l *Linode) member(u *unstructured.Unstructured) Member {
	if m, ok := l.Fleet.of(u); ok {
		return m
	}
	return Member{Kubeconfig: l.Kubeconfig, Endpoint: l.Endpoint, Account: l.Account}
}

// Run reconciles until ctx ends.
func (l *Linode) Run(ctx context.Context, logf Logf) {
	run(ctx, logf, time.Second,
		reconcile{kube: l.Mgmt, gvk: gvk("lke.linode.upbound.io", "v1alpha1", "Cluster"), fn: managed(l.observeCluster, l.deleteCluster)},
		reconcile{kube: l.Mgmt, gvk: gvk("lke.linode.upbound.io", "v1alpha1", "NodePool"), fn: managed(observePool, nil)},
		reconcile{kube: l.Mgmt, gvk: domainKind, fn: managed(observeDomain, nil)},
		reconcile{kube: l.Mgmt, gvk: recordKind, fn: managed(l.observeRecord, nil)},
	)
}

func (l *Linode) observeCluster(u *unstructured.Unstructured) (map[string]any, error) {
	m := l.member(u)
	if err := l.publishKubeconfig(u, m.Kubeconfig); err != nil {
		return nil, err
	}
	label, _, _ := unstructured.NestedString(u.Object, "spec", "forProvider", "label")
	m.Account.clusterUp(label)
	version, _, _ := unstructured.NestedString(u.Object, "spec", "forProvider", "k8sVersion")
	return map[string]any{
		"id":           linodeID(u.GetName()),
		"status":       "ready",
		"k8sVersion":   version,
		"apiEndpoints": []any{m.Endpoint},
	}, nil
}

func observePool(u *unstructured.Unstructured) (map[string]any, error) {
	return map[string]any{"id": linodeID(u.GetName())}, nil
}

func (l *Linode) publishKubeconfig(u *unstructured.Unstructured, kc []byte) error {
	ref, ok, _ := unstructured.NestedStringMap(u.Object, "spec", "writeConnectionSecretToRef")
	if !ok {
		return errorf(u, "no writeConnectionSecretToRef: its kubeconfig would go nowhere")
	}
	s := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "v1", "kind": "Secret",
		"metadata": map[string]any{"name": ref["name"], "namespace": ref["namespace"]},
		"type":     "connection.crossplane.io/v1alpha1",
		"data":     map[string]any{"kubeconfig": b64(kc)},
	}}
	return l.Mgmt.Apply(context.Background(), s)
}

// deleteCluster deletes the cluster at Linode, with its nodes: from then
// on nothing in it runs, and what its components left in the account stays.
func (l *Linode) deleteCluster(u *unstructured.Unstructured) error {
	l.member(u).Account.clusterDown()
	return l.withdrawKubeconfig(u)
}

func (l *Linode) withdrawKubeconfig(u *unstructured.Unstructured) error {
	ref, _, _ := unstructured.NestedStringMap(u.Object, "spec", "writeConnectionSecretToRef")
	err := l.Mgmt.Delete(context.Background(), gvk("", "v1", "Secret"), ref["namespace"], ref["name"])
	if apierrors.IsNotFound(err) {
		return nil
	}
	return err
}

// linodeID is a stable numeric ID, as Linode's are, derived from the name.
func linodeID(name string) string {
	h := fnv.New32a()
	_, _ = h.Write([]byte(name))
	return itoa(int64(h.Sum32()%900000 + 100000))
}
