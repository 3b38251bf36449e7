package standin

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"testing"
	"time"
)

func TestSelfSignedVerifiesForItsNamesOnly(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	kp, err := selfSigned([]string{"grafana.platform.example.com", "www.platform.example.com"}, now)
	if err != nil {
		t.Fatal(err)
	}
	pair, err := tls.X509KeyPair(kp.cert, kp.key)
	if err != nil {
		t.Fatalf("certificate and key do not form a pair: %v", err)
	}
	leaf, err := x509.ParseCertificate(pair.Certificate[0])
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AddCert(leaf)
	for _, tc := range []struct {
		name string
		ok   bool
	}{
		{"grafana.platform.example.com", true},
		{"www.platform.example.com", true},
		{"headlamp.platform.example.com", false},
	} {
		_, err := leaf.Verify(x509.VerifyOptions{DNSName: tc.name, Roots: roots, CurrentTime: now.Add(time.Hour)})
		if (err == nil) != tc.ok {
			t.Errorf("verify for %s: err %v, want ok=%v", tc.name, err, tc.ok)
		}
	}
	if leaf.Subject.CommonName != "grafana.platform.example.com" {
		t.Errorf("common name %q, want the first DNS name", leaf.Subject.CommonName)
	}
	if !kp.notBefore.Equal(leaf.NotBefore) || !kp.notAfter.Equal(leaf.NotAfter) || kp.notAfter.Sub(kp.notBefore) < 89*24*time.Hour {
		t.Errorf("validity %s..%s, certificate %s..%s, want about 90 days", kp.notBefore, kp.notAfter, leaf.NotBefore, leaf.NotAfter)
	}
	if b, _ := pem.Decode(kp.key); b == nil || b.Type != "EC PRIVATE KEY" {
		t.Errorf("key is not a PEM EC private key")
	}
}

func TestSelfSignedFreshKeyEachTime(t *testing.T) {
	a, err := selfSigned([]string{"a.example.com"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	b, err := selfSigned([]string{"a.example.com"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if string(a.key) == string(b.key) {
		t.Error("two issues share a key")
	}
}

func TestSelfSignedNeedsNames(t *testing.T) {
	if _, err := selfSigned(nil, time.Now()); err == nil {
		t.Error("no error for no dnsNames")
	}
}
