package plane

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
)

// cluster says where one new LKE cluster's programs run. The plane starts
// the first (firstCluster: the API server the suite calls Workload);
// AddCluster starts more, one per further claim TestMeasure applies.
type cluster int

// firstCluster is the cluster Up starts.
const firstCluster cluster = 0

// name is the cluster's name in etcd and its kubeconfig's file name.
func (c cluster) name() string {
	if c == firstCluster {
		return "workload"
	}
	return fmt.Sprintf("workload-%d", int(c))
}

// program is the name of one of its programs: the first cluster's keep the
// names they always had.
func (c cluster) program(base string) string {
	if c == firstCluster {
		return base
	}
	return fmt.Sprintf("%s-%d", base, int(c))
}

// The first cluster's ports are the plane's well-known ones; further
// clusters' API servers follow the first's, and their controller-manager
// and scheduler take two ports each from 20000.
func (c cluster) apiServerPort() int { return workloadPort + int(c) }

func (c cluster) controllerManagerPort() int {
	if c == firstCluster {
		return 10258
	}
	return 20000 + 2*int(c)
}

func (c cluster) schedulerPort() int {
	if c == firstCluster {
		return 10259
	}
	return 20001 + 2*int(c)
}

func (p *Plane) kubeconfigOf(c cluster) string {
	return filepath.Join(p.opts.Dir, c.name()+".kubeconfig")
}

// startClusterControllers runs kube-controller-manager with every default
// controller for a cluster (workloadControllers), among them ResourceQuotas
// (without, admission refuses every object a quota counts: "status unknown
// for quota") and the aggregation that fills the ClusterRoles admin, edit
// and view that tenants' RoleBindings name.
func (p *Plane) startClusterControllers(c cluster) error {
	return p.startControllerManager(c.program("kcm-workload"), p.kubeconfigOf(c), c.controllerManagerPort(), workloadControllers)
}

// Cluster is a further new cluster that AddCluster started.
type Cluster struct {
	// Kube is its API server, as cluster admin.
	Kube *Kube
	// Kubeconfig is what provider-linode would publish for it.
	Kubeconfig []byte
	// Endpoint is its API server's URL.
	Endpoint string
}

// AddCluster starts another new cluster, n >= 1, as complete as the first:
// its own kube-apiserver (on the plane's etcd, under a prefix of its own),
// kube-controller-manager with every default controller, kube-scheduler and
// kwok's nodes, and makes it reachable from provider-helm's network
// namespace. Call it once provider-helm runs. TestMeasure gives each claim
// after the first one: claims sharing a cluster fight over its
// cluster-scoped objects (each tags its StorageClass, whose parameters
// cannot change) and over their Helm releases.
func (p *Plane) AddCluster(ctx context.Context, n int) (*Cluster, error) {
	c := cluster(n)
	if c == firstCluster {
		return nil, fmt.Errorf("cluster %d is the plane's own", n)
	}
	cfg, err := p.startAPIServer(c.name(), c.apiServerPort())
	if err != nil {
		return nil, err
	}
	k, err := p.waitAPIServer(ctx, c.name(), cfg)
	if err != nil {
		return nil, err
	}
	raw, err := os.ReadFile(cfg)
	if err != nil {
		return nil, err
	}
	if err := p.startClusterControllers(c); err != nil {
		return nil, err
	}
	if err := p.startNodes(ctx, c, k); err != nil {
		return nil, err
	}
	endpoint := fmt.Sprintf("127.0.0.1:%d", c.apiServerPort())
	if err := p.reachFromHelm(endpoint); err != nil {
		return nil, err
	}
	return &Cluster{Kube: k, Kubeconfig: raw, Endpoint: "https://" + endpoint}, nil
}
