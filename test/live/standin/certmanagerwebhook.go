package standin

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"net/http"
	"sync"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/platformcluster/function-platform-cluster/test/live/plane"
)

// CertManagerWebhookHost is where the stand-in serves cert-manager's
// admission webhook. The chart's webhook.url.host points the webhook
// configurations there (the test sets it in the Input's cert-manager
// values), since the API server cannot reach a pod kwok only pretends to
// run.
const CertManagerWebhookHost = "127.0.0.1:19444"

// injectCAFrom is the annotation cert-manager's cainjector reads to fill
// in a webhook configuration's caBundle.
const injectCAFrom = "cert-manager.io/inject-ca-from-secret"

// CertManagerWebhook stands in for cert-manager's webhook and cainjector:
// it admits every cert-manager resource the API server sends it (the real
// webhook validates them; CertManager's stand-in then reports them), and
// fills the caBundle of the webhook configurations the chart installs.
type CertManagerWebhook struct {
	Workload *plane.Kube
}

// Run serves and reconciles until ctx ends. Every cluster's webhook
// configurations name the one address, so the first Run serves for all
// (until its ctx ends) and each injects that server's certificate.
func (w *CertManagerWebhook) Run(ctx context.Context, logf Logf) {
	cert, err := serveWebhook(ctx, logf)
	if err != nil {
		logf("standin: cert-manager webhook: %v", err)
		return
	}
	inject := injectCA(b64(cert))
	run(ctx, logf, time.Second,
		reconcile{kube: w.Workload, gvk: gvk("admissionregistration.k8s.io", "v1", "ValidatingWebhookConfiguration"), fn: inject},
		reconcile{kube: w.Workload, gvk: gvk("admissionregistration.k8s.io", "v1", "MutatingWebhookConfiguration"), fn: inject},
	)
}

// webhook is the one server at CertManagerWebhookHost.
var webhook struct {
	once sync.Once
	cert []byte
	err  error
}

// serveWebhook starts the server at CertManagerWebhookHost once, until ctx
// ends, and returns its certificate.
func serveWebhook(ctx context.Context, logf Logf) ([]byte, error) {
	webhook.once.Do(func() {
		kp, err := selfSigned([]string{"127.0.0.1"}, time.Now())
		if err != nil {
			webhook.err = err
			return
		}
		pair, err := tls.X509KeyPair(kp.cert, kp.key)
		if err != nil {
			webhook.err = err
			return
		}
		srv := &http.Server{
			Addr: CertManagerWebhookHost, Handler: http.HandlerFunc(admitAll),
			TLSConfig: &tls.Config{Certificates: []tls.Certificate{pair}, MinVersion: tls.VersionTLS12}, ReadHeaderTimeout: 10 * time.Second,
		}
		go func() {
			<-ctx.Done()
			_ = srv.Close()
		}()
		go func() {
			if err := srv.ListenAndServeTLS("", ""); err != nil && ctx.Err() == nil {
				logf("standin: cert-manager webhook: %v", err)
			}
		}()
		webhook.cert = kp.cert
	})
	return webhook.cert, webhook.err
}

// admitAll answers an AdmissionReview allowing the request unchanged.
func admitAll(rw http.ResponseWriter, r *http.Request) {
	var review map[string]any
	if err := json.NewDecoder(r.Body).Decode(&review); err != nil {
		http.Error(rw, err.Error(), http.StatusBadRequest)
		return
	}
	req, _ := review["request"].(map[string]any)
	rw.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(rw).Encode(map[string]any{
		"apiVersion": review["apiVersion"], "kind": review["kind"],
		"response": map[string]any{"uid": req["uid"], "allowed": true},
	})
}

// injectCA sets caBundle on every webhook of a configuration cert-manager
// would inject.
func injectCA(bundle string) func(context.Context, resourceClient, *unstructured.Unstructured) error {
	return func(ctx context.Context, r resourceClient, u *unstructured.Unstructured) error {
		if u.GetAnnotations()[injectCAFrom] == "" {
			return nil
		}
		hooks, _, _ := unstructured.NestedSlice(u.Object, "webhooks")
		changed := false
		for _, h := range hooks {
			cc, _ := h.(map[string]any)["clientConfig"].(map[string]any)
			if cc != nil && cc["caBundle"] != bundle {
				cc["caBundle"], changed = bundle, true
			}
		}
		if !changed {
			return nil
		}
		_ = unstructured.SetNestedSlice(u.Object, hooks, "webhooks")
		_, err := r.Update(ctx, u, metav1.UpdateOptions{})
		return err
	}
}
