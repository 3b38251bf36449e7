// Package plane runs a real control plane on loopback for the live
// end-to-end suite: etcd, a management kube-apiserver with Crossplane core
// (External package runtime, Usage webhook on), a second kube-apiserver
// standing in for the new LKE cluster, kube-controller-managers for garbage
// collection and namespaces, the function under test serving mTLS, and
// provider-kubernetes. Binaries come from test/tools/live-binaries.sh.
package plane

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/client-go/rest"
)

// Loopback ports. provider-kubernetes v1.2.0 serves its webhook on :9443
// and metrics on :8080 whatever it is told, so nothing else uses those.
const (
	mgmtPort            = 6443
	workloadPort        = 7443
	FunctionAddress     = "127.0.0.1:9444"
	crossplaneHealth    = "127.0.0.1:18081"
	crossplaneWebhook   = 19443
	crossplaneNamespace = "crossplane-system"
)

// Options say what the plane runs.
type Options struct {
	// Bin is the folder test/tools/live-binaries.sh prints.
	Bin string
	// Function is the function binary under test.
	Function string
	// Dir holds data, credentials and one log per program.
	Dir string
	// Crossplane is the folder with the crossplane binary, its CRDs and
	// webhook configurations; Bin when empty. Bin/crossplane-oldest holds the
	// oldest release the packages admit.
	Crossplane string
	// Charts are the chart archives served at ChartRepository (charts.go).
	Charts []string
	// CrossplaneArgs are added to `crossplane core start`'s (TestMeasure's
	// pipeline inspector).
	CrossplaneArgs []string
}

// Plane is a running control plane.
type Plane struct {
	opts  Options
	pki   *pki
	procs map[string]*process

	// Mgmt is the control plane's API server; Workload the new cluster's.
	// Both clients are cluster admins: the test's own.
	Mgmt, Workload *Kube
	// Gate is where Crossplane reaches the function.
	Gate *Gate
	// WorkloadKubeconfig is a self-contained kubeconfig for the workload API
	// server: what provider-linode would publish for a new LKE cluster.
	WorkloadKubeconfig []byte
	mgmtKubeconfig     string
	// Registry is the OCI registry packages are installed from.
	Registry *Registry
}

// Up starts every program and returns once each answers. On error, what
// was started is stopped.
func Up(ctx context.Context, o Options) (_ *Plane, err error) {
	p := &Plane{opts: o, procs: map[string]*process{}}
	defer func() {
		if err != nil {
			p.Down()
		}
	}()
	for _, d := range []string{"logs", "pki", "xpkg-cache", "xfn-cache"} {
		if err := os.MkdirAll(filepath.Join(o.Dir, d), 0o700); err != nil {
			return nil, err
		}
	}
	if p.pki, err = newPKI(filepath.Join(o.Dir, "pki")); err != nil {
		return nil, err
	}
	if err := p.startAPIServers(ctx); err != nil {
		return nil, err
	}
	if err := p.startRegistry(); err != nil {
		return nil, err
	}
	if err := p.startCrossplane(ctx); err != nil {
		return nil, err
	}
	if err := p.startRBACManager(ctx); err != nil {
		return nil, err
	}
	if p.Gate, err = startGate(FunctionGateAddress, FunctionAddress); err != nil {
		return nil, err
	}
	if err := p.startProgram("function", o.Function, nil,
		"--address="+FunctionAddress, "--tls-certs-dir="+p.pki.path("serving"),
		"--metrics-address=127.0.0.1:18090", "--debug"); err != nil {
		return nil, err
	}
	// The new cluster's nodes come last: Crossplane's init races its CRDs'
	// establishment, more so on a busy machine.
	if err := p.startNodes(ctx, firstCluster, p.Workload); err != nil {
		return nil, err
	}
	// provider-kubernetes and provider-helm start once their packages have
	// installed their CRDs (StartProviderKubernetes, StartProviderHelm), as
	// a package runtime starts them.
	return p, nil
}

// Logs is the folder with one log file per program.
func (p *Plane) Logs() string { return filepath.Join(p.opts.Dir, "logs") }

func (p *Plane) startProgram(name, bin string, env []string, args ...string) error {
	pr, err := start(p.Logs(), name, bin, env, args...)
	if err != nil {
		return err
	}
	p.procs[name] = pr
	return nil
}

func (p *Plane) startAPIServers(ctx context.Context) error {
	if err := p.startEtcd(); err != nil {
		return err
	}
	// Two API servers share one etcd under different prefixes: the control
	// plane, and the cluster LKE would create.
	mgmtCfg, err := p.startAPIServer("mgmt", mgmtPort)
	if err != nil {
		return err
	}
	workloadCfg, err := p.startAPIServer(firstCluster.name(), firstCluster.apiServerPort())
	if err != nil {
		return err
	}
	p.mgmtKubeconfig = mgmtCfg
	if p.Mgmt, err = p.waitAPIServer(ctx, "mgmt", mgmtCfg); err != nil {
		return err
	}
	if p.Workload, err = p.waitAPIServer(ctx, firstCluster.name(), workloadCfg); err != nil {
		return err
	}
	if p.WorkloadKubeconfig, err = os.ReadFile(workloadCfg); err != nil {
		return err
	}
	// Garbage collection (composed resources and what provider-kubernetes
	// creates carry owner references), namespace deletion and ClusterRole
	// aggregation (Crossplane's aggregated ClusterRoles) on the management
	// cluster. The workload cluster runs every default controller
	// (startClusterControllers).
	if err := p.startControllerManager("kcm-mgmt", filepath.Join(p.opts.Dir, "mgmt.kubeconfig"), 10257,
		"garbagecollector,namespace,clusterrole-aggregation"); err != nil {
		return err
	}
	return p.startClusterControllers(firstCluster)
}

// startControllerManager runs kube-controller-manager as program, with the
// controllers named, against the API server of kubeconfig.
func (p *Plane) startControllerManager(program, kubeconfig string, port int, controllers string) error {
	return p.startProgram(program, p.bin("kube-controller-manager"), nil,
		"--kubeconfig="+kubeconfig, "--authentication-kubeconfig="+kubeconfig, "--authorization-kubeconfig="+kubeconfig,
		"--bind-address=127.0.0.1", fmt.Sprintf("--secure-port=%d", port),
		"--controllers="+controllers, "--leader-elect=false", nodeMonitorGracePeriod,
		"--cert-dir="+filepath.Join(p.opts.Dir, program))
}

// UpAPIServer starts etcd and the workload cluster's kube-apiserver only
// (Workload, WorkloadKubeconfig): for tests that need a real API server to
// admit objects and nothing to reconcile them. Down stops it.
func UpAPIServer(ctx context.Context, o Options) (_ *Plane, err error) {
	p := &Plane{opts: o, procs: map[string]*process{}}
	defer func() {
		if err != nil {
			p.Down()
		}
	}()
	for _, d := range []string{"logs", "pki"} {
		if err := os.MkdirAll(filepath.Join(o.Dir, d), 0o700); err != nil {
			return nil, err
		}
	}
	if p.pki, err = newPKI(filepath.Join(o.Dir, "pki")); err != nil {
		return nil, err
	}
	if err := p.startEtcd(); err != nil {
		return nil, err
	}
	cfg, err := p.startAPIServer("workload", workloadPort)
	if err != nil {
		return nil, err
	}
	if p.Workload, err = p.waitAPIServer(ctx, "workload", cfg); err != nil {
		return nil, err
	}
	if p.WorkloadKubeconfig, err = os.ReadFile(cfg); err != nil {
		return nil, err
	}
	return p, nil
}

func (p *Plane) startEtcd() error {
	return p.startProgram("etcd", "etcd", nil, "--data-dir="+filepath.Join(p.opts.Dir, "etcd"), "--name=default",
		"--listen-client-urls=http://127.0.0.1:2379", "--advertise-client-urls=http://127.0.0.1:2379",
		"--listen-peer-urls=http://127.0.0.1:2380", "--initial-advertise-peer-urls=http://127.0.0.1:2380",
		"--initial-cluster=default=http://127.0.0.1:2380", "--listen-metrics-urls=http://127.0.0.1:2381")
}

// startAPIServer starts a kube-apiserver storing under its name in etcd and
// returns its admin kubeconfig; it does not wait for it (waitAPIServer).
func (p *Plane) startAPIServer(name string, port int) (string, error) {
	if err := p.startProgram("apiserver-"+name, p.bin("kube-apiserver"), nil,
		"--etcd-servers=http://127.0.0.1:2379", "--etcd-prefix=/"+name,
		"--bind-address=127.0.0.1", "--advertise-address=127.0.0.1", fmt.Sprintf("--secure-port=%d", port),
		"--tls-cert-file="+p.pki.path("apiserver/tls.crt"), "--tls-private-key-file="+p.pki.path("apiserver/tls.key"),
		"--client-ca-file="+p.pki.path("apiserver/ca.crt"),
		"--service-account-key-file="+p.pki.path("sa.pub"), "--service-account-signing-key-file="+p.pki.path("sa.key"),
		"--service-account-issuer=https://kubernetes.default.svc", "--authorization-mode=RBAC",
		"--service-cluster-ip-range=10.96.0.0/16", "--cert-dir="+filepath.Join(p.opts.Dir, "apiserver-"+name)); err != nil {
		return "", err
	}
	return p.writeKubeconfig(name, port)
}

// waitAPIServer returns a client of a started API server once it is ready.
func (p *Plane) waitAPIServer(ctx context.Context, name, kubeconfig string) (*Kube, error) {
	k, err := NewKube(kubeconfig)
	if err != nil {
		return nil, err
	}
	return k, p.waitFor(ctx, "apiserver-"+name, 3*time.Minute, func() error { return readyz(ctx, k.Config) })
}

// writeKubeconfig writes a self-contained admin kubeconfig.
func (p *Plane) writeKubeconfig(name string, port int) (string, error) {
	cfg := fmt.Sprintf(`apiVersion: v1
kind: Config
clusters:
- name: %[1]s
  cluster: {server: "https://127.0.0.1:%[2]d", certificate-authority-data: %[3]s}
users:
- name: admin
  user: {client-certificate-data: %[4]s, client-key-data: %[5]s}
contexts:
- name: %[1]s
  context: {cluster: %[1]s, user: admin}
current-context: %[1]s
`, name, port, b64(p.pki.kube.pem), b64(p.pki.admin.cert), b64(p.pki.admin.key))
	path := filepath.Join(p.opts.Dir, name+".kubeconfig")
	return path, os.WriteFile(path, []byte(cfg), 0o600)
}

func (p *Plane) startCrossplane(ctx context.Context) error {
	ns := &unstructured.Unstructured{Object: map[string]any{"apiVersion": "v1", "kind": "Namespace", "metadata": map[string]any{"name": crossplaneNamespace}}}
	if err := p.Mgmt.Apply(ctx, ns); err != nil {
		return err
	}
	// Crossplane runs as its chart's ServiceAccount with the chart's RBAC.
	if err := p.installChartRBAC(ctx); err != nil {
		return err
	}
	kubeconfig, err := p.Identity(ctx, crossplaneNamespace, CrossplaneServiceAccount)
	if err != nil {
		return err
	}
	// live-binaries.sh links the CRD folder; init walks CRDS_PATH without
	// following a link, so it is given the folder itself.
	crds, err := filepath.EvalSymlinks(p.xp("crossplane-crds"))
	if err != nil {
		return err
	}
	env := []string{
		"KUBECONFIG=" + kubeconfig, "POD_NAMESPACE=" + crossplaneNamespace, "POD_SERVICE_ACCOUNT=" + CrossplaneServiceAccount,
		"CRDS_PATH=" + crds,
		"TLS_CA_SECRET_NAME=crossplane-root-ca",
		"TLS_CLIENT_SECRET_NAME=crossplane-tls-client",
	}
	// core init installs the CRDs, TLS Secrets and the package Lock. Its
	// Lock step can race the CRDs' establishment on a fresh API server.
	// On a loaded machine establishing them takes longer than a few tries.
	var initErr error
	for deadline := time.Now().Add(2 * time.Minute); time.Now().Before(deadline); {
		// --activation=* is the default activation policy Crossplane's Helm
		// chart installs: every managed resource of a package is active.
		// --webhook-enabled is the flag's name in v2.0 and an alias later.
		cmd := exec.CommandContext(ctx, p.xp("crossplane"), "core", "init", "--namespace="+crossplaneNamespace, "--webhook-enabled=false", "--activation=*")
		cmd.Env = append(os.Environ(), env...)
		out, err := cmd.CombinedOutput()
		_ = os.WriteFile(filepath.Join(p.Logs(), "crossplane-init.log"), out, 0o600)
		if initErr = err; err == nil {
			break
		}
		time.Sleep(2 * time.Second)
	}
	if initErr != nil {
		return fmt.Errorf("crossplane core init: %w (see %s)", initErr, filepath.Join(p.Logs(), "crossplane-init.log"))
	}
	// Usages are enforced by Crossplane's validating webhook. In a cluster,
	// init points its configuration at a Service; here Crossplane runs on
	// loopback, so the webhook configuration Crossplane ships is pointed at
	// its URL instead.
	if err := p.installUsageWebhook(ctx); err != nil {
		return err
	}
	args := []string{"core", "start", "--namespace=" + crossplaneNamespace, "--enable-webhooks=true",
		"--tls-server-certs-dir=" + p.pki.path("serving"), fmt.Sprintf("--webhook-port=%d", crossplaneWebhook),
		"--package-runtime=External", "--tls-client-certs-dir=" + p.pki.path("crossplane-client"),
		"--xpkg-cache-dir=" + filepath.Join(p.opts.Dir, "xpkg-cache"), "--xfn-cache-dir=" + filepath.Join(p.opts.Dir, "xfn-cache"),
		// The plane's registry serves TLS with the plane's own CA.
		"--ca-bundle-path=" + p.RegistryCAPath(),
		// Stages advance when the function is called again; with the default
		// 1m poll a claim takes minutes to walk its stages here, where
		// every stand-in is instant.
		"--poll-interval=15s", "--metrics-port=18080", "--health-probe-port=18081", "--debug"}
	args = append(args, p.opts.CrossplaneArgs...)
	if err := p.startProgram("crossplane", p.xp("crossplane"), env, args...); err != nil {
		return err
	}
	return p.waitFor(ctx, "crossplane", 2*time.Minute, func() error { return httpOK(ctx, "http://"+crossplaneHealth+"/readyz") })
}

func (p *Plane) installUsageWebhook(ctx context.Context) error {
	objs, err := ReadObjects(filepath.Join(p.xp("crossplane-webhookconfigurations"), "usage.yaml"))
	if err != nil {
		return err
	}
	for _, o := range objs {
		hooks, _, _ := unstructured.NestedSlice(o.Object, "webhooks")
		for _, h := range hooks {
			hm := h.(map[string]any)
			cc := hm["clientConfig"].(map[string]any)
			svc, _ := cc["service"].(map[string]any)
			path, _ := svc["path"].(string)
			hm["clientConfig"] = map[string]any{
				"url":      fmt.Sprintf("https://127.0.0.1:%d%s", crossplaneWebhook, path),
				"caBundle": b64(p.pki.mtls.pem),
			}
		}
		_ = unstructured.SetNestedSlice(o.Object, hooks, "webhooks")
	}
	return p.Mgmt.Apply(ctx, objs...)
}

// StartProviderKubernetes starts provider-kubernetes, as a package runtime
// does once the provider's package revision has installed its CRDs. The
// API server reaches its conversion webhook (Object v1alpha1 <-> v1alpha2)
// through the Service PackageRuntime gives the Provider. It runs as its
// revision's ServiceAccount (ProviderIdentity), with what the RBAC manager
// grants that revision.
func (p *Plane) StartProviderKubernetes(ctx context.Context, provider string) error {
	kubeconfig, err := p.ProviderIdentity(ctx, provider)
	if err != nil {
		return err
	}
	return p.startProgram("provider-kubernetes", p.bin("provider-kubernetes"),
		[]string{"KUBECONFIG=" + kubeconfig, "WEBHOOK_TLS_CERT_DIR=" + p.pki.path("serving")},
		// It notices remote status (a CRD Established, a Gateway Programmed)
		// only when it polls an Object again; shorter than its default so
		// that each stage does not wait a minute or more.
		"--debug", "--health-probe-bind-addr=127.0.0.1:28081", "--poll=10s")
}

// InstallCRDs applies CRDs to the management API server and waits until
// each is established.
func (p *Plane) InstallCRDs(ctx context.Context, crds ...*unstructured.Unstructured) error {
	return InstallCRDs(ctx, p.Mgmt, crds...)
}

// InstallCRDs applies CRDs and waits until each is established.
func InstallCRDs(ctx context.Context, k *Kube, crds ...*unstructured.Unstructured) error {
	if err := k.Apply(ctx, crds...); err != nil {
		return err
	}
	for _, c := range crds {
		name := c.GetName()
		err := Eventually(ctx, time.Minute, func() error {
			got, err := k.Get(ctx, c.GroupVersionKind(), "", name)
			if err != nil {
				return err
			}
			if ConditionStatus(got, "Established") != "True" {
				return fmt.Errorf("CRD %s not established", name)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// Kill ends a program at once, as a crash would.
func (p *Plane) Kill(name string) { p.procs[name].kill() }

// Restart starts a killed or stopped program again with the same flags.
func (p *Plane) Restart(name string) error {
	pr := p.procs[name]
	pr.stop()
	return pr.start()
}

// Down stops every program, the last started first, and the registry.
func (p *Plane) Down() {
	if p.Gate != nil {
		p.Gate.Close()
	}
	base := []string{"provider-kubernetes", "function", "rbac-manager", "crossplane", "kcm-workload", "kcm-mgmt", "apiserver-workload", "apiserver-mgmt", "etcd"}
	for name, pr := range p.procs {
		if !slices.Contains(base, name) {
			pr.stop()
		}
	}
	for _, name := range base {
		p.procs[name].stop()
	}
	p.Registry.stop()
}

// Exited lists programs that stopped without being asked to: a crash
// explains many a time-out.
func (p *Plane) Exited() []string {
	var out []string
	for name, pr := range p.procs {
		if !pr.running() {
			out = append(out, name)
		}
	}
	return out
}

func (p *Plane) bin(name string) string { return filepath.Join(p.opts.Bin, name) }

// xp is a file of the Crossplane release the plane runs.
func (p *Plane) xp(name string) string {
	if p.opts.Crossplane != "" {
		return filepath.Join(p.opts.Crossplane, name)
	}
	return p.bin(name)
}

func (p *Plane) waitFor(ctx context.Context, name string, timeout time.Duration, ready func() error) error {
	err := Eventually(ctx, timeout, func() error {
		if pr, ok := p.procs[name]; ok && !pr.running() {
			return Permanent(fmt.Errorf("%s exited", name))
		}
		return ready()
	})
	if err != nil {
		return fmt.Errorf("%s not ready: %w (log: %s)", name, err, filepath.Join(p.Logs(), name+".log"))
	}
	return nil
}

func readyz(ctx context.Context, cfg *rest.Config) error {
	hc, err := rest.HTTPClientFor(cfg)
	if err != nil {
		return err
	}
	return httpOKWith(ctx, hc, cfg.Host+"/readyz")
}

func httpOK(ctx context.Context, url string) error {
	return httpOKWith(ctx, http.DefaultClient, url)
}

func httpOKWith(ctx context.Context, c *http.Client, url string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	rsp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer rsp.Body.Close()
	if rsp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %s", url, rsp.Status)
	}
	return nil
}

// ConditionStatus is the status of a condition type in status.conditions,
// "" when absent.
func ConditionStatus(u *unstructured.Unstructured, typ string) string {
	c := Condition(u, typ)
	s, _ := c["status"].(string)
	return s
}

// Condition is a condition of status.conditions, nil when absent.
func Condition(u *unstructured.Unstructured, typ string) map[string]any {
	conds, _, _ := unstructured.NestedSlice(u.Object, "status", "conditions")
	for _, c := range conds {
		cm, _ := c.(map[string]any)
		if cm["type"] == typ {
			return cm
		}
	}
	return nil
}

// Describe is a short line for failure messages: kind, name and conditions.
func Describe(u *unstructured.Unstructured) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s", u.GetKind(), u.GetName())
	conds, _, _ := unstructured.NestedSlice(u.Object, "status", "conditions")
	for _, c := range conds {
		cm, _ := c.(map[string]any)
		fmt.Fprintf(&b, " [%v=%v %v: %v]", cm["type"], cm["status"], cm["reason"], cm["message"])
	}
	return b.String()
}
