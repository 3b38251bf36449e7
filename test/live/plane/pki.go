package plane

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"
)

// authority is a certificate authority made fresh for one run: nothing it
// signs outlives the test.
type authority struct {
	cert   *x509.Certificate
	key    *rsa.PrivateKey
	pem    []byte
	serial int64
}

func newAuthority(cn string) (*authority, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: cn},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return &authority{cert: cert, key: key, pem: pemBlock("CERTIFICATE", der), serial: 1}, nil
}

// leaf is a signed certificate and its key, PEM encoded.
type leaf struct {
	cert, key []byte
}

func (a *authority) sign(subject pkix.Name, usage x509.ExtKeyUsage, dns ...string) (leaf, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return leaf{}, err
	}
	a.serial++
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(a.serial),
		Subject:      subject,
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage:  []x509.ExtKeyUsage{usage},
		DNSNames:     dns,
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, a.cert, &key.PublicKey, a.key)
	if err != nil {
		return leaf{}, err
	}
	return leaf{cert: pemBlock("CERTIFICATE", der), key: pemBlock("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(key))}, nil
}

// writeTLSDir writes the layout Crossplane, functions and controller-runtime
// webhook servers read: tls.crt, tls.key and ca.crt.
func writeTLSDir(dir string, l leaf, ca []byte) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	for name, data := range map[string][]byte{"tls.crt": l.cert, "tls.key": l.key, "ca.crt": ca} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			return err
		}
	}
	return nil
}

func pemBlock(kind string, der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: kind, Bytes: der})
}

// pki holds every credential one run of the plane uses.
type pki struct {
	dir string
	// kube is the CA of both API servers and of their admin client.
	kube *authority
	// mtls is the CA of Crossplane's function client certificate and of the
	// serving certificates on 127.0.0.1 (the function, provider-kubernetes'
	// and Crossplane's webhooks).
	mtls *authority

	admin, apiserver, serving leaf
}

func newPKI(dir string) (*pki, error) {
	p := &pki{dir: dir}
	var err error
	if p.kube, err = newAuthority("fpc-live-kube"); err != nil {
		return nil, err
	}
	if p.mtls, err = newAuthority("fpc-live-mtls"); err != nil {
		return nil, err
	}
	if p.admin, err = p.kube.sign(pkix.Name{CommonName: "admin", Organization: []string{"system:masters"}}, x509.ExtKeyUsageClientAuth); err != nil {
		return nil, err
	}
	if p.apiserver, err = p.kube.sign(pkix.Name{CommonName: "kube-apiserver"}, x509.ExtKeyUsageServerAuth,
		"localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc"); err != nil {
		return nil, err
	}
	// The Service names are those a provider's webhook is reached at once
	// its package is installed (the Provider's name, in Crossplane's
	// namespace; see ProviderWebhookService).
	if p.serving, err = p.mtls.sign(pkix.Name{CommonName: "fpc-live-serving"}, x509.ExtKeyUsageServerAuth, "localhost",
		"provider-kubernetes.crossplane-system.svc", "crossplane-contrib-provider-kubernetes.crossplane-system.svc"); err != nil {
		return nil, err
	}
	client, err := p.mtls.sign(pkix.Name{CommonName: "crossplane.crossplane-system"}, x509.ExtKeyUsageClientAuth, "crossplane.crossplane-system")
	if err != nil {
		return nil, err
	}
	if err := writeTLSDir(p.path("crossplane-client"), client, p.mtls.pem); err != nil {
		return nil, err
	}
	if err := writeTLSDir(p.path("serving"), p.serving, p.mtls.pem); err != nil {
		return nil, err
	}
	if err := writeTLSDir(p.path("apiserver"), p.apiserver, p.kube.pem); err != nil {
		return nil, err
	}
	sa, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	pub, err := x509.MarshalPKIXPublicKey(&sa.PublicKey)
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(p.path("sa.key"), pemBlock("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(sa)), 0o600); err != nil {
		return nil, err
	}
	return p, os.WriteFile(p.path("sa.pub"), pemBlock("PUBLIC KEY", pub), 0o600)
}

func (p *pki) path(name string) string { return filepath.Join(p.dir, name) }

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }
