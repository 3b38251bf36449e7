package plane

import (
	"crypto/rand"
	"crypto/subtle"
	"crypto/tls"
	"encoding/hex"
	"encoding/json"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/google/go-containerregistry/pkg/registry"
)

// RegistryHost is where the plane's OCI registry serves: a registry of the
// platform team's own, and the mirror an air-gapped control plane pulls
// public packages from.
const RegistryHost = "127.0.0.1:5443"

// Registry is a real OCI distribution registry (go-containerregistry's) on
// loopback, serving TLS with a certificate from the plane's own CA and
// asking for a user name and password, as a private registry does.
type Registry struct {
	// User and Password are the registry's one account.
	User, Password string
	// CA is the PEM bundle that verifies the registry's certificate.
	CA []byte
	// DockerConfig is a folder holding a config.json with the account, what
	// docker login writes: set DOCKER_CONFIG to it for crossplane xpkg push.
	DockerConfig string
	srv          *http.Server
}

func (p *Plane) startRegistry() error {
	pw := make([]byte, 16)
	if _, err := rand.Read(pw); err != nil {
		return err
	}
	cert, err := tls.X509KeyPair(p.pki.serving.cert, p.pki.serving.key)
	if err != nil {
		return err
	}
	r := &Registry{User: "platform-team", Password: hex.EncodeToString(pw), CA: p.pki.mtls.pem}
	logs, err := os.Create(filepath.Join(p.Logs(), "registry.log"))
	if err != nil {
		return err
	}
	r.srv = &http.Server{
		Handler:           r.basicAuth(registry.New(registry.Logger(log.New(logs, "", log.LstdFlags)))),
		TLSConfig:         &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12},
		ReadHeaderTimeout: 10 * time.Second,
		// HTTP/1.1 only. go-containerregistry's registry reads an upload's
		// body holding one lock for all blobs; over HTTP/2, crossplane
		// xpkg push sends several uploads on one connection, the blocked
		// ones fill its flow-control window, and the push hangs (seen in
		// TestOldestCrossplane: 20 minutes on one PATCH).
		TLSNextProto: map[string]func(*http.Server, *tls.Conn, http.Handler){},
	}
	ln, err := net.Listen("tcp", RegistryHost)
	if err != nil {
		return err
	}
	go func() { _ = r.srv.ServeTLS(ln, "", "") }()
	if err := os.WriteFile(p.pki.path("registry-ca.crt"), r.CA, 0o600); err != nil {
		return err
	}
	if r.DockerConfig, err = r.writeDockerConfig(filepath.Join(p.opts.Dir, "docker")); err != nil {
		return err
	}
	p.Registry = r
	return nil
}

// basicAuth admits only the registry's account, answering others with the
// challenge registry clients expect.
func (r *Registry) basicAuth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		u, pw, ok := req.BasicAuth()
		if !ok || subtle.ConstantTimeCompare([]byte(u+":"+pw), []byte(r.User+":"+r.Password)) != 1 {
			w.Header().Set("WWW-Authenticate", `Basic realm="fpc-live"`)
			http.Error(w, `{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}`, http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, req)
	})
}

// DockerConfigJSON is a kubernetes.io/dockerconfigjson Secret's payload for
// the registry's account.
func (r *Registry) DockerConfigJSON() []byte {
	b, _ := json.Marshal(map[string]any{"auths": map[string]any{RegistryHost: map[string]string{"username": r.User, "password": r.Password}}})
	return b
}

func (r *Registry) writeDockerConfig(dir string) (string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	return dir, os.WriteFile(filepath.Join(dir, "config.json"), r.DockerConfigJSON(), 0o600)
}

func (r *Registry) stop() {
	if r != nil && r.srv != nil {
		_ = r.srv.Close()
	}
}

// RegistryCAPath is the file holding the registry's CA bundle, what
// Crossplane is given with --ca-bundle-path.
func (p *Plane) RegistryCAPath() string { return p.pki.path("registry-ca.crt") }
