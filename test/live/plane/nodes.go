package plane

import (
	"context"
	_ "embed"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// workloadControllers are what kube-controller-manager runs for the new
// cluster: all of its default controllers (Deployments, ReplicaSets,
// StatefulSets with their PVC retention, DaemonSets, Jobs, the
// PersistentVolume binder and protection, EndpointSlices, service
// accounts, garbage collection, namespaces...), as on any cluster.
const workloadControllers = "*"

// nodeMonitorGracePeriod is how long kube-controller-manager waits for a
// node's lease before it marks the node unhealthy and every pod on it
// NotReady (which kwok never undoes). kwok renews leases late on a busy
// machine; a fake node never dies, so the grace period is long.
const nodeMonitorGracePeriod = "--node-monitor-grace-period=10m"

// kwokStages is what kwok does to the nodes it manages and their pods.
//
//go:embed kwok/stages.yaml
var kwokStages []byte

// Nodes are the workload cluster's fake nodes: kwok keeps them Ready and
// plays the kubelet for the pods scheduled on them. A pool of g6-standard-4
// Linodes, with room for every chart.
var Nodes = []string{"lke-demo-pool-default-0", "lke-demo-pool-default-1", "lke-demo-pool-default-2"}

const kwokNodeAnnotation = "kwok.x-k8s.io/node"

var nodeKind = schema.GroupVersionKind{Version: "v1", Kind: "Node"}

// startNodes gives a cluster nodes: kube-scheduler (same build as the API
// server) and kwok managing the fake Nodes. With them and
// kube-controller-manager's controllers, Deployments, StatefulSets,
// DaemonSets and Jobs become ready through Kubernetes' own controllers.
func (p *Plane) startNodes(ctx context.Context, c cluster, k *Kube) error {
	cfg := p.kubeconfigOf(c)
	if err := p.startProgram(c.program("kube-scheduler"), p.bin("kube-scheduler"), nil,
		"--kubeconfig="+cfg, "--authentication-kubeconfig="+cfg, "--authorization-kubeconfig="+cfg,
		"--bind-address=127.0.0.1", fmt.Sprintf("--secure-port=%d", c.schedulerPort()), "--leader-elect=false"); err != nil {
		return err
	}
	stages := filepath.Join(p.opts.Dir, "kwok-stages.yaml")
	if err := os.WriteFile(stages, kwokStages, 0o600); err != nil {
		return err
	}
	// kwok keeps its state under $HOME; each cluster's its own.
	kwok := c.program("kwok")
	home := filepath.Join(p.opts.Dir, kwok)
	if err := os.MkdirAll(home, 0o700); err != nil {
		return err
	}
	if err := p.startProgram(kwok, p.bin("kwok"), []string{"HOME=" + home},
		"--kubeconfig="+cfg, "--config="+stages, "--manage-all-nodes=false",
		"--manage-nodes-with-annotation-selector="+kwokNodeAnnotation+"=fake",
		"--cidr=10.244.0.0/16", "--node-ip=10.0.0.1", "--node-lease-duration-seconds=40"); err != nil {
		return err
	}
	for _, n := range Nodes {
		if err := k.Apply(ctx, node(n)); err != nil {
			return err
		}
	}
	return p.waitFor(ctx, kwok, 2*time.Minute, func() error {
		for _, n := range Nodes {
			got, err := k.Get(ctx, nodeKind, "", n)
			if err != nil {
				return err
			}
			if ConditionStatus(got, "Ready") != "True" {
				return fmt.Errorf("node %s not Ready", n)
			}
		}
		return nil
	})
}

// node is a fake Node that kwok manages, labelled as LKE labels its nodes.
func node(name string) *unstructured.Unstructured {
	capacity := map[string]any{"cpu": "4", "memory": "8Gi", "pods": "110", "ephemeral-storage": "160Gi"}
	return &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "v1", "kind": "Node",
		"metadata": map[string]any{
			"name":        name,
			"annotations": map[string]any{kwokNodeAnnotation: "fake"},
			"labels": map[string]any{
				"kubernetes.io/hostname": name, "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64",
				"node.kubernetes.io/instance-type": "g6-standard-4", "topology.kubernetes.io/region": "us-ord",
				"lke.linode.com/pool-id": "100001", "type": "kwok",
			},
		},
		"status": map[string]any{"capacity": capacity, "allocatable": capacity},
	}}
}
