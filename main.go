// Package main implements function-platform-cluster, a Crossplane composition
// function that turns one PlatformCluster claim into an LKE cluster, its node
// pools, ProviderConfigs for the new cluster, Helm add-ons and Score workloads.
package main

import (
	"github.com/alecthomas/kong"

	function "github.com/crossplane/function-sdk-go"

	"github.com/platformcluster/function-platform-cluster/fn"
	"github.com/platformcluster/function-platform-cluster/fn/codec"
)

// version is the release this binary was built as, stamped at build time
// (-ldflags "-X main.version=v0.1.1"; test/image and test/packages do). It is
// logged at start so that a package upgrade is visible in the function's log.
var version = "dev"

// CLI of this function.
type CLI struct {
	Debug bool `help:"Emit debug logs in addition to info logs." short:"d"`

	Network            string `default:"tcp"                    help:"Network on which to listen for gRPC connections."`
	Address            string `default:":9443"                  help:"Address at which to listen for gRPC connections."`
	TLSCertsDir        string `env:"TLS_SERVER_CERTS_DIR"       help:"Directory containing server certs (tls.key, tls.crt) and the CA used to verify client certificates (ca.crt)"`
	Insecure           bool   `help:"Run without mTLS credentials. If you supply this flag --tls-server-certs-dir will be ignored."`
	MaxRecvMessageSize int    `default:"4"                      help:"Maximum size of received messages in MB."`
	MetricsAddress     string `default:":8080"                  help:"Address at which to serve Prometheus metrics."`
	ScoreCacheMB       int    `default:"64"                     help:"Budget of the Score conversion cache in MiB (JSON size of the conversions kept; resident memory is a few times that). 0 turns it off."`
}

// Run this function.
func (c *CLI) Run() error {
	log, err := function.NewLogger(c.Debug)
	if err != nil {
		return err
	}

	codec.Register()
	log.Info("Starting function-platform-cluster", "version", version, "address", c.Address)
	return function.Serve(fn.New(log, fn.WithScoreCacheBytes(int64(c.ScoreCacheMB)<<20)),
		function.Listen(c.Network, c.Address),
		function.MTLSCertificates(c.TLSCertsDir),
		function.Insecure(c.Insecure),
		function.MaxRecvMessageSize(c.MaxRecvMessageSize*1024*1024),
		function.WithMetricsServer(c.MetricsAddress))
}

func main() {
	ctx := kong.Parse(&CLI{}, kong.Description("A Crossplane composition function that composes a platform on LKE."))
	ctx.FatalIfErrorf(ctx.Run())
}
