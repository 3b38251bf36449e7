package main

import (
	"archive/tar"
	"io"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

func TestImage(t *testing.T) {
	if testing.Short() {
		t.Skip("cross-compiles the function")
	}
	out := filepath.Join(t.TempDir(), "function.tar")
	if err := run(filepath.Join("..", ".."), out, "amd64", "v0.0.0-test"); err != nil {
		t.Fatal(err)
	}
	img, err := tarball.ImageFromPath(out, nil)
	if err != nil {
		t.Fatalf("the tarball does not load as an image: %v", err)
	}
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"/function"}, cf.Config.Entrypoint); diff != "" {
		t.Errorf("entrypoint: -want, +got:\n%s", diff)
	}
	if cf.Config.User != "65532:65532" {
		t.Errorf("user: want the distroless nonroot 65532:65532, got %q", cf.Config.User)
	}
	if _, ok := cf.Config.ExposedPorts["9443/tcp"]; !ok || len(cf.Config.ExposedPorts) != 1 {
		t.Errorf("exposed ports: want only 9443/tcp, got %v", cf.Config.ExposedPorts)
	}
	if cf.OS != "linux" || cf.Architecture != "amd64" {
		t.Errorf("platform: want linux/amd64, got %s/%s", cf.OS, cf.Architecture)
	}
	if cf.Config.Labels["org.opencontainers.image.source"] == "" {
		t.Errorf("want OCI source label, got %v", cf.Config.Labels)
	}

	layers, err := img.Layers()
	if err != nil || len(layers) != 1 {
		t.Fatalf("want exactly one layer on an empty base, got %d (%v)", len(layers), err)
	}
	rc, err := layers[0].Uncompressed()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	tr := tar.NewReader(rc)
	var found bool
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if h.Name != "function" {
			t.Errorf("unexpected file in the layer: %s", h.Name)
			continue
		}
		found = true
		if h.Mode&0o111 == 0 {
			t.Errorf("/function is not executable: mode %o", h.Mode)
		}
		head := make([]byte, 4)
		if _, err := io.ReadFull(tr, head); err != nil || string(head) != "\x7fELF" {
			t.Errorf("/function is not an ELF binary")
		}
	}
	if !found {
		t.Error("the layer has no /function")
	}
}
