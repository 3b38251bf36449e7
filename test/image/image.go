// Command image assembles the function's runtime image without a Docker
// engine: the same image the Dockerfile builds (a static binary at /function
// on an empty base, running as nonroot on port 9443), written as a tarball
// that crossplane xpkg build --embed-runtime-image-tarball accepts.
//
//	go run ./test/image -o _output/function-amd64.tar
package main

import (
	"archive/tar"
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// The runtime contract the Dockerfile also states.
const (
	entrypoint = "/function"
	user       = "65532:65532" // distroless nonroot
	port       = "9443/tcp"
	repository = "xpkg.upbound.io/platformcluster/function-platform-cluster"
	source     = "https://github.com/platformcluster/function-platform-cluster"
)

func main() {
	out := flag.String("o", "_output/function-amd64.tar", "where to write the image tarball")
	arch := flag.String("arch", "amd64", "GOARCH of the binary and the image")
	tag := flag.String("tag", "v0.1.0", "tag recorded in the tarball")
	src := flag.String("src", ".", "repository root to build")
	flag.Parse()
	if err := run(*src, *out, *arch, *tag); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(src, out, arch, tag string) error {
	dir, err := os.MkdirTemp("", "function-image-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir) // Best-effort cleanup.
	bin := filepath.Join(dir, "function")
	if err := buildBinary(src, bin, arch, tag); err != nil {
		return err
	}
	img, err := Image(bin, arch)
	if err != nil {
		return err
	}
	ref, err := name.NewTag(repository + ":" + tag)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o750); err != nil {
		return err
	}
	return tarball.WriteToFile(out, ref, img)
}

// buildBinary cross-compiles the function exactly as the Dockerfile does,
// stamped with the image's tag as its version.
func buildBinary(src, out, arch, tag string) error {
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w -X main.version="+tag, "-o", out, ".")
	cmd.Dir = src
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+arch)
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build: %w\n%s", err, b)
	}
	return nil
}

// Image puts the binary at /function on an empty base with the runtime
// configuration of the Dockerfile's final stage.
func Image(bin, arch string) (v1.Image, error) {
	layer, err := binaryLayer(bin)
	if err != nil {
		return nil, err
	}
	img, err := mutate.AppendLayers(mutate.MediaType(empty.Image, types.OCIManifestSchema1), layer)
	if err != nil {
		return nil, err
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, err
	}
	cf = cf.DeepCopy()
	cf.OS, cf.Architecture = "linux", arch
	cf.Created = v1.Time{Time: time.Unix(0, 0).UTC()}
	cf.Config.Entrypoint = []string{entrypoint}
	cf.Config.User = user
	cf.Config.ExposedPorts = map[string]struct{}{port: {}}
	cf.Config.Labels = map[string]string{
		"org.opencontainers.image.source":      source,
		"org.opencontainers.image.title":       "function-platform-cluster",
		"org.opencontainers.image.description": "Crossplane composition function composing an LKE platform",
		"org.opencontainers.image.licenses":    "Apache-2.0",
	}
	return mutate.ConfigFile(img, cf)
}

// binaryLayer is a one-file layer with fixed timestamps and ownership, so
// the same binary always gives the same layer digest.
func binaryLayer(bin string) (v1.Layer, error) {
	b, err := os.ReadFile(bin) //nolint:gosec // Our own build output.
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	hdr := &tar.Header{
		Name:    entrypoint[1:],
		Mode:    0o755,
		Size:    int64(len(b)),
		ModTime: time.Unix(0, 0),
		Uid:     0, Gid: 0,
		Typeflag: tar.TypeReg,
	}
	if err := tw.WriteHeader(hdr); err != nil {
		return nil, err
	}
	if _, err := tw.Write(b); err != nil {
		return nil, err
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	data := buf.Bytes()
	return tarball.LayerFromOpener(func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(data)), nil
	}, tarball.WithMediaType(types.OCILayer))
}
