// Package mtls tests that the function, served with --tls-certs-dir as
// Crossplane runs it, accepts only clients with a certificate from its CA.
package mtls

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/resource"

	"github.com/platformcluster/function-platform-cluster/test/internal/fnserver"
)

type pair struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	der  []byte
}

func issue(t *testing.T, cn string, parent *pair, server bool) *pair {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	serial, _ := rand.Int(rand.Reader, big.NewInt(1<<62))
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: cn},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
	}
	signer, signerKey := tmpl, key
	switch {
	case parent == nil:
		tmpl.IsCA, tmpl.BasicConstraintsValid = true, true
	case server:
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
		tmpl.DNSNames = []string{"localhost"}
		tmpl.IPAddresses = []net.IP{net.ParseIP("127.0.0.1")}
		signer, signerKey = parent.cert, parent.key
	default:
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
		signer, signerKey = parent.cert, parent.key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, signer, &key.PublicKey, signerKey)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := x509.ParseCertificate(der)
	return &pair{cert: c, key: key, der: der}
}

func (p *pair) pemCert() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: p.der})
}

func (p *pair) pemKey(t *testing.T) []byte {
	b, err := x509.MarshalECPrivateKey(p.key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: b})
}

func (p *pair) tls(t *testing.T) tls.Certificate {
	c, err := tls.X509KeyPair(p.pemCert(), p.pemKey(t))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestMTLS(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the function binary")
	}
	dir := t.TempDir()
	ca := issue(t, "function-ca", nil, false)
	srv := issue(t, "function", ca, true)
	client := issue(t, "crossplane", ca, false)
	otherCA := issue(t, "other-ca", nil, false)
	stranger := issue(t, "stranger", otherCA, false)

	certs := filepath.Join(dir, "certs")
	if err := os.MkdirAll(certs, 0o700); err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string][]byte{"tls.crt": srv.pemCert(), "tls.key": srv.pemKey(t), "ca.crt": ca.pemCert()} {
		if err := os.WriteFile(filepath.Join(certs, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	bin, err := fnserver.Build(dir)
	if err != nil {
		t.Fatal(err)
	}
	addr, err := fnserver.FreeAddress()
	if err != nil {
		t.Fatal(err)
	}
	stop, err := fnserver.Start(bin, addr, "--tls-certs-dir="+certs)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()

	roots := x509.NewCertPool()
	roots.AddCert(ca.cert)
	cases := map[string]struct {
		certs  []tls.Certificate
		wantOK bool
	}{
		"NoClientCertificate":          {wantOK: false},
		"CertificateFromAnotherCA":     {certs: []tls.Certificate{stranger.tls(t)}, wantOK: false},
		"CertificateFromTheFunctionCA": {certs: []tls.Certificate{client.tls(t)}, wantOK: true},
	}
	req := &fnv1.RunFunctionRequest{
		Input: resource.MustStructJSON(`{"apiVersion":"platformcluster.fn.crossplane.io/v1beta1","kind":"Input"}`),
		Observed: &fnv1.State{Composite: &fnv1.Resource{Resource: resource.MustStructJSON(
			`{"apiVersion":"platform.fpc.dev/v1alpha1","kind":"XPlatformCluster","metadata":{"name":"demo"},"spec":{"clusterSpec":{"clusterName":"demo","labels":{"team":"a"}}}}`)}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			creds := credentials.NewTLS(&tls.Config{
				MinVersion: tls.VersionTLS12, RootCAs: roots, ServerName: "localhost", Certificates: tc.certs,
			})
			conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(creds))
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close() // Test cleanup.
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			rsp, err := fnv1.NewFunctionRunnerServiceClient(conn).RunFunction(ctx, req)
			if tc.wantOK {
				if err != nil {
					t.Fatalf("want success, got %v", err)
				}
				if _, ok := rsp.GetDesired().GetResources()["cluster"]; !ok {
					t.Errorf("want a composed cluster, got %v", rsp.GetDesired())
				}
				return
			}
			if err == nil {
				t.Fatal("want the call rejected, it succeeded")
			}
		})
	}
}
