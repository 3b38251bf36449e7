package plane

import (
	"archive/tar"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

var (
	functionRevisionKind = schema.GroupVersionKind{Group: "pkg.crossplane.io", Version: "v1", Kind: "FunctionRevision"}
	providerRevisionKind = schema.GroupVersionKind{Group: "pkg.crossplane.io", Version: "v1", Kind: "ProviderRevision"}
	serviceKind          = schema.GroupVersionKind{Version: "v1", Kind: "Service"}
)

// PackageRuntime does what Crossplane's Deployment runtime does for the
// package revisions Crossplane creates, when Crossplane runs with the
// External runtime:
//
//   - an active FunctionRevision gets a running function server, its endpoint,
//     the Secret with the server's certificate, and RuntimeHealthy; an
//     inactive one's server is stopped once no active revision uses it;
//   - an active ProviderRevision gets its webhook's TLS Secret, a Service
//     named after the Provider that the API server reaches the webhook at
//     (its cluster IP is put on this network namespace's loopback, where
//     kube-proxy would route it), the ServiceAccount and Deployment its
//     identity comes from (runAsRevision), and RuntimeHealthy. The providers'
//     controllers are the suite's: provider-kubernetes runs, the others are
//     stand-ins.
//
// The function release named CheckoutVersion is served by the plane's own
// "function" program (built from this checkout, as that release's image
// was); any other release is served from the binary in its package's
// runtime image, pulled from the plane's registry.
type PackageRuntime struct {
	Plane           *Plane
	CheckoutVersion string

	mu sync.Mutex
	// servers maps a function release to the program serving it.
	servers map[string]*server
	// webhookIPs are the cluster IPs already on loopback.
	webhookIPs map[string]bool
	// identities are the ProviderRevisions given a ServiceAccount.
	identities map[string]bool
	cancel     context.CancelFunc
}

type server struct {
	address string
	proc    *process
}

// Run reconciles package revisions every second until ctx is done.
func (r *PackageRuntime) Run(ctx context.Context, logf func(string, ...any)) {
	r.mu.Lock()
	ctx, r.cancel = context.WithCancel(ctx)
	// Crossplane reaches the checkout's server through the plane's Gate.
	r.servers = map[string]*server{r.CheckoutVersion: {address: FunctionGateAddress, proc: r.Plane.procs["function"]}}
	r.webhookIPs = map[string]bool{}
	r.identities = map[string]bool{}
	r.mu.Unlock()
	for {
		if err := r.functions(ctx, logf); err != nil {
			logf("package runtime: functions: %v", err)
		}
		if err := r.providers(ctx); err != nil {
			logf("package runtime: providers: %v", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Second):
		}
	}
}

// Serving reports whether a server of a function release runs.
func (r *PackageRuntime) Serving(version string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	s, ok := r.servers[version]
	return ok && s.proc.running()
}

// Stop ends Run and stops the servers the runtime started.
func (r *PackageRuntime) Stop() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.cancel != nil {
		r.cancel()
	}
	for v, s := range r.servers {
		if v != r.CheckoutVersion {
			s.proc.stop()
		}
	}
}

func (r *PackageRuntime) functions(ctx context.Context, logf func(string, ...any)) error {
	revs, err := r.Plane.Mgmt.List(ctx, functionRevisionKind, "", "")
	if err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	active := map[string]bool{}
	var errs []error
	for i := range revs {
		rev := &revs[i]
		if state, _, _ := unstructured.NestedString(rev.Object, "spec", "desiredState"); state != "Active" {
			continue
		}
		version, ref := revisionVersion(rev)
		active[version] = true
		if st, _, _ := unstructured.NestedMap(rev.Object, "status"); len(st) == 0 {
			continue // Crossplane writes the revision's status first.
		}
		s, err := r.serve(version, ref, logf)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", rev.GetName(), err))
			continue
		}
		if ep, _, _ := unstructured.NestedString(rev.Object, "status", "endpoint"); ep == s.address && ConditionStatus(rev, "RuntimeHealthy") == "True" {
			continue
		}
		logf("package runtime: %s (%s) served at %s", rev.GetName(), version, s.address)
		errs = append(errs, r.Plane.registerRevision(ctx, rev, s.address))
	}
	// A release no active revision installs stops, as its Deployment would
	// be scaled away.
	for v, s := range r.servers {
		if !active[v] && len(revs) > 0 && s.proc.running() {
			logf("package runtime: no active revision of %s: stopping its server", v)
			s.proc.stop()
		}
	}
	return errors.Join(errs...)
}

// revisionVersion is the release a revision installs and the reference to
// pull it from (after any ImageConfig rewrite).
func revisionVersion(rev *unstructured.Unstructured) (string, string) {
	ref, _, _ := unstructured.NestedString(rev.Object, "status", "resolvedImage")
	if ref == "" {
		ref, _, _ = unstructured.NestedString(rev.Object, "spec", "image")
	}
	if r, err := name.ParseReference(ref); err == nil {
		return r.Identifier(), ref
	}
	return ref, ref
}

// serve finds, restarts or starts the server of a function release.
func (r *PackageRuntime) serve(version, ref string, logf func(string, ...any)) (*server, error) {
	if s, ok := r.servers[version]; ok {
		// The checkout's server is the plane's "function" program: tests
		// kill and restart it themselves.
		if !s.proc.running() && version != r.CheckoutVersion {
			logf("package runtime: starting the server of %s again", version)
			return s, s.proc.start()
		}
		return s, nil
	}
	bin := filepath.Join(r.Plane.opts.Dir, "function-"+version)
	if err := r.Plane.pullFunctionBinary(ref, bin); err != nil {
		return nil, err
	}
	addr := fmt.Sprintf("127.0.0.1:%d", 9445+len(r.servers))
	logf("package runtime: starting %s from %s at %s", bin, ref, addr)
	pr, err := start(r.Plane.Logs(), "function-"+version, bin, nil, "--address="+addr,
		"--tls-certs-dir="+r.Plane.pki.path("serving"), "--metrics-address=127.0.0.1:0", "--debug")
	if err != nil {
		return nil, err
	}
	s := &server{address: addr, proc: pr}
	r.servers[version] = s
	return s, nil
}

// pullFunctionBinary takes /function out of a function package's embedded
// runtime image, as a container runtime would run it.
func (p *Plane) pullFunctionBinary(ref, out string) error {
	r, err := name.ParseReference(ref)
	if err != nil {
		return err
	}
	img, err := remote.Image(r, p.Registry.remoteOptions()...)
	if err != nil {
		return err
	}
	rc := mutate.Extract(img)
	defer rc.Close()
	tr := tar.NewReader(rc)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return fmt.Errorf("%s: no /function in the package's image", ref)
		}
		if err != nil {
			return err
		}
		if strings.TrimPrefix(h.Name, "/") != "function" {
			continue
		}
		f, err := os.OpenFile(out, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o700)
		if err != nil {
			return err
		}
		if _, err := io.Copy(f, tr); err != nil { //nolint:gosec // Our own package.
			f.Close()
			return err
		}
		return f.Close()
	}
}

// remoteOptions reach the registry as its account, trusting its CA.
func (r *Registry) remoteOptions() []remote.Option {
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(r.CA)
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	return []remote.Option{remote.WithTransport(t), remote.WithAuth(&authn.Basic{Username: r.User, Password: r.Password})}
}

// registerRevision publishes a revision's runtime: the Secret with the
// server's certificate, for a FunctionRevision its endpoint, and
// RuntimeHealthy.
func (p *Plane) registerRevision(ctx context.Context, rev *unstructured.Unstructured, endpoint string) error {
	secret := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "v1", "kind": "Secret",
		"metadata": map[string]any{"name": rev.GetName() + "-tls-server", "namespace": crossplaneNamespace},
		"data": map[string]any{
			"tls.crt": b64(append(append([]byte{}, p.pki.serving.cert...), p.pki.mtls.pem...)),
			"tls.key": b64(p.pki.serving.key), "ca.crt": b64(p.pki.mtls.pem),
		},
	}}
	if err := p.Mgmt.Apply(ctx, secret); err != nil {
		return err
	}
	if endpoint != "" {
		_ = unstructured.SetNestedField(rev.Object, endpoint, "status", "endpoint")
	}
	_ = unstructured.SetNestedField(rev.Object, secret.GetName(), "status", "tlsServerSecretName")
	setCondition(rev, "RuntimeHealthy", "True", "HealthyPackageRevision")
	r, err := p.Mgmt.Resource(rev.GroupVersionKind(), "")
	if err != nil {
		return err
	}
	_, err = r.UpdateStatus(ctx, rev, metav1.UpdateOptions{})
	if apierrors.IsConflict(err) {
		return nil // Crossplane wrote first; the next pass registers it.
	}
	return err
}

func setCondition(u *unstructured.Unstructured, typ, status, reason string) {
	conds, _, _ := unstructured.NestedSlice(u.Object, "status", "conditions")
	var kept []any
	for _, c := range conds {
		if c.(map[string]any)["type"] != typ {
			kept = append(kept, c)
		}
	}
	kept = append(kept, map[string]any{
		"type": typ, "status": status, "reason": reason,
		"lastTransitionTime": time.Now().UTC().Format(time.RFC3339),
	})
	_ = unstructured.SetNestedSlice(u.Object, kept, "status", "conditions")
}

// providers registers every active ProviderRevision's runtime.
func (r *PackageRuntime) providers(ctx context.Context) error {
	revs, err := r.Plane.Mgmt.List(ctx, providerRevisionKind, "", "")
	if err != nil {
		return err
	}
	var errs []error
	for i := range revs {
		rev := &revs[i]
		if st, _, _ := unstructured.NestedMap(rev.Object, "status"); len(st) == 0 {
			continue
		}
		if state, _, _ := unstructured.NestedString(rev.Object, "spec", "desiredState"); state != "Active" {
			continue
		}
		if err := r.webhookService(ctx, rev.GetLabels()["pkg.crossplane.io/package"]); err != nil {
			errs = append(errs, err)
			continue
		}
		if !r.identities[rev.GetName()] {
			if err := r.Plane.runAsRevision(ctx, rev); err != nil {
				errs = append(errs, err)
				continue
			}
			r.identities[rev.GetName()] = true
		}
		if s, _, _ := unstructured.NestedString(rev.Object, "status", "tlsServerSecretName"); s != "" && ConditionStatus(rev, "RuntimeHealthy") == "True" {
			continue
		}
		errs = append(errs, r.Plane.registerRevision(ctx, rev, ""))
	}
	return errors.Join(errs...)
}

// webhookService is the Service a provider's webhooks and CRD conversion
// are reached at (Crossplane points them at the Provider's name, port
// 9443), with its cluster IP on loopback.
func (r *PackageRuntime) webhookService(ctx context.Context, provider string) error {
	if provider == "" {
		return nil
	}
	svc := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "v1", "kind": "Service",
		"metadata": map[string]any{"name": provider, "namespace": crossplaneNamespace},
		"spec":     map[string]any{"ports": []any{map[string]any{"name": "webhook", "port": int64(9443), "targetPort": int64(9443)}}},
	}}
	if err := r.Plane.Mgmt.Apply(ctx, svc); err != nil {
		return err
	}
	got, err := r.Plane.Mgmt.Get(ctx, serviceKind, crossplaneNamespace, provider)
	if err != nil {
		return err
	}
	ip, _, _ := unstructured.NestedString(got.Object, "spec", "clusterIP")
	if ip == "" || r.webhookIPs[ip] {
		return nil
	}
	if out, err := exec.Command("ip", "addr", "add", ip+"/32", "dev", "lo").CombinedOutput(); err != nil && !strings.Contains(string(out), "File exists") {
		return fmt.Errorf("ip addr add %s: %w: %s", ip, err, out)
	}
	r.webhookIPs[ip] = true
	return nil
}

// Binary is a file of the folder test/tools/live-binaries.sh prints.
func (p *Plane) Binary(name string) string { return p.bin(name) }

// Dir is the folder the plane keeps its data in.
func (p *Plane) Dir() string { return p.opts.Dir }
