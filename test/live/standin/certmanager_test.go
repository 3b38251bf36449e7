package standin

import (
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/platformcluster/function-platform-cluster/test/live/plane"
)

func obj(kind string, generation int64, spec map[string]any) *unstructured.Unstructured {
	u := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "cert-manager.io/v1", "kind": kind,
		"metadata": map[string]any{"name": "x", "namespace": "nginx-gateway"},
		"spec":     spec,
	}}
	u.SetGeneration(generation)
	return u
}

func TestIssuerRegistered(t *testing.T) {
	acme := func(drop string) map[string]any {
		a := map[string]any{
			"server": "https://acme-staging-v02.api.letsencrypt.org/directory", "email": "ops@example.com",
			"privateKeySecretRef": map[string]any{"name": "acme-account"},
		}
		delete(a, drop)
		return map[string]any{"acme": a}
	}
	for _, tc := range []struct {
		name           string
		spec           map[string]any
		status, reason string
		message        string
	}{
		{"complete", acme(""), "True", "ACMEAccountRegistered", "registered"},
		{"no email", acme("email"), "False", "ErrRegisterACMEAccount", "spec.acme.email"},
		{"no server", acme("server"), "False", "ErrRegisterACMEAccount", "spec.acme.server"},
		{"no key", acme("privateKeySecretRef"), "False", "ErrRegisterACMEAccount", "spec.acme.privateKeySecretRef.name"},
		{"not acme", map[string]any{"selfSigned": map[string]any{}}, "False", "ErrInitIssuer", "ACME"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u := obj("ClusterIssuer", 2, tc.spec)
			if !issuerRegistered(u) {
				t.Fatal("first pass wrote nothing")
			}
			c := plane.Condition(u, "Ready")
			if c["status"] != tc.status || c["reason"] != tc.reason || !strings.Contains(c["message"].(string), tc.message) || c["observedGeneration"] != int64(2) {
				t.Errorf("Ready = %v, want %s %s mentioning %q at generation 2", c, tc.status, tc.reason, tc.message)
			}
			if issuerRegistered(u) {
				t.Error("second pass wrote again: the stand-in would update status every second")
			}
			u.SetGeneration(3)
			if !issuerRegistered(u) {
				t.Error("a new generation was not observed")
			}
		})
	}
}

func TestCertificateRequest(t *testing.T) {
	spec := func(edit func(m map[string]any)) map[string]any {
		m := map[string]any{
			"secretName": "grafana-tls", "dnsNames": []any{"grafana.platform.example.com"},
			"issuerRef": map[string]any{"kind": "ClusterIssuer", "name": "letsencrypt", "group": "cert-manager.io"},
		}
		if edit != nil {
			edit(m)
		}
		return m
	}
	for _, tc := range []struct {
		name, problem string
		spec          map[string]any
	}{
		{"complete", "", spec(nil)},
		{"no secret", "spec.secretName", spec(func(m map[string]any) { delete(m, "secretName") })},
		{"no names", "spec.dnsNames", spec(func(m map[string]any) { m["dnsNames"] = []any{} })},
		{"no issuer", "spec.issuerRef.name", spec(func(m map[string]any) { delete(m["issuerRef"].(map[string]any), "name") })},
		{"namespaced issuer", "spec.issuerRef.kind", spec(func(m map[string]any) { m["issuerRef"].(map[string]any)["kind"] = "Issuer" })},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, problem := certificateRequest(obj("Certificate", 1, tc.spec))
			if (tc.problem == "") != (problem == "") || !strings.Contains(problem, tc.problem) {
				t.Errorf("problem %q, want one naming %q", problem, tc.problem)
			}
		})
	}
}

// A Secret is reissued when the Certificate asks for other names or
// another issuer, and its validity is read back from what it holds.
func TestCertificateSecret(t *testing.T) {
	cert := obj("Certificate", 1, map[string]any{
		"secretName": "grafana-tls", "dnsNames": []any{"grafana.platform.example.com"},
		"issuerRef": map[string]any{"kind": "ClusterIssuer", "name": "letsencrypt"},
	})
	req, problem := certificateRequest(cert)
	if problem != "" {
		t.Fatal(problem)
	}
	now := time.Now()
	kp, err := selfSigned(req.dnsNames, now)
	if err != nil {
		t.Fatal(err)
	}
	s := req.secret(cert, kp)
	if s.GetNamespace() != "nginx-gateway" || s.GetName() != "grafana-tls" || s.Object["type"] != "kubernetes.io/tls" {
		t.Errorf("secret %s/%s of type %v, want nginx-gateway/grafana-tls kubernetes.io/tls", s.GetNamespace(), s.GetName(), s.Object["type"])
	}
	if !req.issued(s) {
		t.Error("the secret just issued does not match its request")
	}
	other := req
	other.dnsNames = []string{"grafana.platform.example.com", "grafana.example.org"}
	if other.issued(s) {
		t.Error("a secret for fewer names matches")
	}
	other = req
	other.issuer = "letsencrypt-prod"
	if other.issued(s) {
		t.Error("a secret from another issuer matches")
	}
	nb, na, err := validity(s)
	if err != nil {
		t.Fatal(err)
	}
	if !nb.Equal(kp.notBefore) || !na.Equal(kp.notAfter) {
		t.Errorf("validity %s..%s, want %s..%s", nb, na, kp.notBefore, kp.notAfter)
	}
	_ = unstructured.SetNestedField(s.Object, b64([]byte("not pem")), "data", "tls.crt")
	if _, _, err := validity(s); err == nil {
		t.Error("no error for a tls.crt without PEM")
	}
}

func TestReportKeepsOtherConditions(t *testing.T) {
	u := obj("Certificate", 1, nil)
	_ = unstructured.SetNestedSlice(u.Object, []any{map[string]any{"type": "Issuing", "status": "True"}}, "status", "conditions")
	if !report(u, falseCondition("Ready", "IssuerNotReady", "waiting", 1)) {
		t.Fatal("new condition not reported")
	}
	if report(u, falseCondition("Ready", "IssuerNotReady", "waiting", 1)) {
		t.Error("the same condition reported twice")
	}
	if !report(u, withMessage(condition("Ready", "Ready", 1), "done")) {
		t.Error("a changed condition not reported")
	}
	if plane.ConditionStatus(u, "Issuing") != "True" || plane.ConditionStatus(u, "Ready") != "True" {
		t.Errorf("conditions %v", plane.Describe(u))
	}
}
