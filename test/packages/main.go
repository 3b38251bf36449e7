// Command packages builds everything a platform team publishes, under the
// team's own registry and organisation: the function's runtime image, the
// function package, the Configuration package whose function dependency
// names that same package, and the example/install manifests naming both.
//
//	go run ./test/packages -registry xpkg.example.com/acme -version v0.1.0
//	XP="$(test/tools/crossplane.sh)"
//	$XP xpkg push -f _output/function.xpkg xpkg.example.com/acme/function-platform-cluster:v0.1.0
//	$XP xpkg push -f _output/configuration.xpkg xpkg.example.com/acme/platform-cluster:v0.1.0
//	kubectl apply -f _output/install/00-providers.yaml ...
//
// Without a Docker engine: the image is assembled by test/image and the
// packages are built by the real crossplane CLI (test/tools/crossplane.sh).
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

func main() {
	var o Options
	flag.StringVar(&o.Registry, "registry", "", "registry and organisation to publish under, e.g. xpkg.example.com/acme (required)")
	flag.StringVar(&o.Version, "version", "v0.1.0", "release of both packages, a semantic version with a leading v")
	flag.StringVar(&o.Out, "o", "_output", "folder to write the image, the packages and the install manifests to")
	flag.StringVar(&o.Root, "src", ".", "repository root")
	flag.StringVar(&o.Crossplane, "crossplane", "", "the crossplane CLI (default: built by test/tools/crossplane.sh)")
	flag.Parse()
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "packages:", err)
		os.Exit(1)
	}
}

func run(o Options) error {
	if o.Crossplane == "" {
		out, err := exec.Command("bash", filepath.Join(o.Root, "test", "tools", "crossplane.sh")).Output()
		if err != nil {
			return fmt.Errorf("build the crossplane CLI: %w", err)
		}
		o.Crossplane = strings.TrimSpace(string(out))
	}
	b, err := Build(o)
	if err != nil {
		return err
	}
	fmt.Printf("Built %s and %s for %s. Push them with:\n", b.FunctionPackage, b.ConfigurationPackage, o.Registry)
	fmt.Printf("  %s xpkg push -f %s %s\n", o.Crossplane, b.FunctionPackage, b.FunctionRef)
	fmt.Printf("  %s xpkg push -f %s %s\n", o.Crossplane, b.ConfigurationPackage, b.ConfigurationRef)
	fmt.Printf("then apply %s as README.md's \"Install as packages\" says.\n", b.Install)
	return nil
}
