package standin

import (
	"context"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/platformcluster/function-platform-cluster/test/live/plane"
)

var (
	clusterIssuerKind = gvk("cert-manager.io", "v1", "ClusterIssuer")
	certificateKind   = gvk("cert-manager.io", "v1", "Certificate")
)

// CertManager stands in for cert-manager's controller on the workload
// cluster. An ACME ClusterIssuer is Ready as soon as it names a server, an
// email and an account key Secret (no account is registered). A
// Certificate whose ClusterIssuer exists and is Ready gets its
// spec.secretName Secret, holding a self-signed certificate for its
// dnsNames in place of the one the ACME server would sign (no challenge is
// solved), and is Ready. As cert-manager does by default, the Secret
// outlives its Certificate. Only issuers, certificates and that Secret are
// written, status alone for the first two.
type CertManager struct {
	Workload *plane.Kube
}

// Run reconciles until ctx ends.
func (c *CertManager) Run(ctx context.Context, logf Logf) {
	run(ctx, logf, time.Second,
		reconcile{kube: c.Workload, gvk: clusterIssuerKind, fn: statusOnly(issuerRegistered)},
		reconcile{kube: c.Workload, gvk: certificateKind, fn: c.issue},
	)
}

// issuerRegistered reports an ACME ClusterIssuer Ready, or not Ready naming
// what it lacks.
func issuerRegistered(u *unstructured.Unstructured) bool {
	g := u.GetGeneration()
	acme, ok, _ := unstructured.NestedMap(u.Object, "spec", "acme")
	if !ok {
		return report(u, falseCondition("Ready", "ErrInitIssuer", "the stand-in issues through ACME issuers only", g))
	}
	email, _, _ := unstructured.NestedString(acme, "email")
	server, _, _ := unstructured.NestedString(acme, "server")
	key, _, _ := unstructured.NestedString(acme, "privateKeySecretRef", "name")
	for _, f := range []struct{ path, value string }{
		{"spec.acme.server", server}, {"spec.acme.email", email}, {"spec.acme.privateKeySecretRef.name", key},
	} {
		if f.value == "" {
			return report(u, falseCondition("Ready", "ErrRegisterACMEAccount", f.path+" is empty", g))
		}
	}
	if !report(u, withMessage(condition("Ready", "ACMEAccountRegistered", g), "The ACME account was registered with the ACME server")) {
		return false
	}
	_ = unstructured.SetNestedField(u.Object, email, "status", "acme", "lastRegisteredEmail")
	_ = unstructured.SetNestedField(u.Object, strings.TrimSuffix(server, "/directory")+"/acct/"+string(u.GetUID()), "status", "acme", "uri")
	return true
}

// issue keeps a Certificate's Secret matching its spec and reports it.
func (c *CertManager) issue(ctx context.Context, r resourceClient, u *unstructured.Unstructured) error {
	if u.GetDeletionTimestamp() != nil {
		return nil
	}
	cond, err := c.ensureSecret(ctx, u)
	if err != nil || !report(u, cond) {
		return err
	}
	_, err = r.UpdateStatus(ctx, u, metav1.UpdateOptions{})
	return err
}

// ensureSecret issues the Secret when it is missing or was issued for other
// names or another issuer, and returns the Ready condition to report.
func (c *CertManager) ensureSecret(ctx context.Context, u *unstructured.Unstructured) (map[string]any, error) {
	g := u.GetGeneration()
	want, problem := certificateRequest(u)
	if problem != "" {
		return falseCondition("Ready", "InvalidSpec", problem, g), nil
	}
	issuer, err := c.Workload.Get(ctx, clusterIssuerKind, "", want.issuer)
	if apierrors.IsNotFound(err) || (err == nil && plane.ConditionStatus(issuer, "Ready") != "True") {
		return falseCondition("Ready", "IssuerNotReady", "ClusterIssuer "+want.issuer+" does not exist or is not Ready", g), nil
	}
	if err != nil {
		return nil, err
	}
	s, err := c.Workload.Get(ctx, secretKind, u.GetNamespace(), want.secretName)
	if err != nil && !apierrors.IsNotFound(err) {
		return nil, err
	}
	if err != nil || !want.issued(s) {
		kp, err := selfSigned(want.dnsNames, time.Now())
		if err != nil {
			return nil, err
		}
		s = want.secret(u, kp)
		if err := c.Workload.Apply(ctx, s); err != nil {
			return nil, err
		}
	}
	notBefore, notAfter, err := validity(s)
	if err != nil {
		return nil, err
	}
	_ = unstructured.SetNestedField(u.Object, notBefore.Format(time.RFC3339), "status", "notBefore")
	_ = unstructured.SetNestedField(u.Object, notAfter.Format(time.RFC3339), "status", "notAfter")
	_ = unstructured.SetNestedField(u.Object, notAfter.Add(-notAfter.Sub(notBefore)/3).Format(time.RFC3339), "status", "renewalTime")
	_ = unstructured.SetNestedField(u.Object, int64(1), "status", "revision")
	return withMessage(condition("Ready", "Ready", g), "Certificate is up to date and has not expired"), nil
}

var secretKind = gvk("", "v1", "Secret")

// certRequest is what a Certificate asks for.
type certRequest struct {
	secretName, issuer string
	dnsNames           []string
}

// certificateRequest reads a Certificate's spec, or says what is wrong with
// it.
func certificateRequest(u *unstructured.Unstructured) (certRequest, string) {
	var c certRequest
	c.secretName, _, _ = unstructured.NestedString(u.Object, "spec", "secretName")
	c.dnsNames, _, _ = unstructured.NestedStringSlice(u.Object, "spec", "dnsNames")
	c.issuer, _, _ = unstructured.NestedString(u.Object, "spec", "issuerRef", "name")
	kind, _, _ := unstructured.NestedString(u.Object, "spec", "issuerRef", "kind")
	switch {
	case c.secretName == "":
		return c, "spec.secretName is empty"
	case len(c.dnsNames) == 0:
		return c, "spec.dnsNames is empty"
	case c.issuer == "":
		return c, "spec.issuerRef.name is empty"
	case kind != "ClusterIssuer":
		return c, "spec.issuerRef.kind is " + fmt.Sprintf("%q", kind) + ": the stand-in issues from ClusterIssuers only"
	}
	return c, ""
}

// issued reports whether s holds a certificate issued for this request.
func (c certRequest) issued(s *unstructured.Unstructured) bool {
	a := s.GetAnnotations()
	return a["cert-manager.io/alt-names"] == strings.Join(c.dnsNames, ",") && a["cert-manager.io/issuer-name"] == c.issuer
}

// secret is the Secret cert-manager writes: the pair, annotated with what
// it was issued for.
func (c certRequest) secret(cert *unstructured.Unstructured, kp keyPair) *unstructured.Unstructured {
	return &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "v1", "kind": "Secret",
		"metadata": map[string]any{
			"name": c.secretName, "namespace": cert.GetNamespace(),
			"labels": map[string]any{"controller.cert-manager.io/fao": "true"},
			"annotations": map[string]any{
				"cert-manager.io/alt-names":        strings.Join(c.dnsNames, ","),
				"cert-manager.io/certificate-name": cert.GetName(),
				"cert-manager.io/common-name":      c.dnsNames[0],
				"cert-manager.io/issuer-group":     "cert-manager.io",
				"cert-manager.io/issuer-kind":      "ClusterIssuer",
				"cert-manager.io/issuer-name":      c.issuer,
			},
		},
		"type": "kubernetes.io/tls",
		"data": map[string]any{"tls.crt": b64(kp.cert), "tls.key": b64(kp.key)},
	}}
}

// validity reads the validity period of the certificate a TLS Secret holds.
func validity(s *unstructured.Unstructured) (time.Time, time.Time, error) {
	enc, _, _ := unstructured.NestedString(s.Object, "data", "tls.crt")
	raw, err := base64.StdEncoding.DecodeString(enc)
	if err != nil {
		return time.Time{}, time.Time{}, err
	}
	b, _ := pem.Decode(raw)
	if b == nil {
		return time.Time{}, time.Time{}, errors.New("secret " + s.GetName() + ": tls.crt holds no PEM block")
	}
	c, err := x509.ParseCertificate(b.Bytes)
	if err != nil {
		return time.Time{}, time.Time{}, err
	}
	return c.NotBefore, c.NotAfter, nil
}

func falseCondition(typ, reason, message string, generation int64) map[string]any {
	c := withMessage(condition(typ, reason, generation), message)
	c["status"] = "False"
	return c
}

func withMessage(c map[string]any, message string) map[string]any {
	c["message"] = message
	return c
}

// report puts c in place of the condition of its type, unless one with
// the same status, reason, message and observed generation is there, and
// says whether it did.
func report(u *unstructured.Unstructured, c map[string]any) bool {
	old := plane.Condition(u, c["type"].(string))
	if old["status"] == c["status"] && old["reason"] == c["reason"] && old["message"] == c["message"] &&
		fmt.Sprint(old["observedGeneration"]) == fmt.Sprint(c["observedGeneration"]) {
		return false
	}
	conds, _, _ := unstructured.NestedSlice(u.Object, "status", "conditions")
	out := []any{c}
	for _, x := range conds {
		if m, ok := x.(map[string]any); ok && m["type"] != c["type"] {
			out = append(out, m)
		}
	}
	_ = unstructured.SetNestedSlice(u.Object, out, "status", "conditions")
	return true
}
