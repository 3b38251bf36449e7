package plane

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"sigs.k8s.io/yaml"
)

const chartAddress = "127.0.0.1:8879"

// ChartRepository is the URL of the chart repository the plane serves: a
// static index.yaml and the chart archives over HTTP, which is all a Helm
// chart repository is. An air-gapped platform team serves theirs the same
// way and points the function's Input at it.
const ChartRepository = "http://" + chartAddress

// serveCharts serves Options.Charts at ChartRepository until ctx ends.
func (p *Plane) serveCharts(ctx context.Context) error {
	index, err := chartIndex(p.opts.Charts)
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/index.yaml", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/x-yaml")
		_, _ = w.Write(index)
	})
	for _, a := range p.opts.Charts {
		mux.HandleFunc("/"+filepath.Base(a), func(w http.ResponseWriter, r *http.Request) {
			http.ServeFile(w, r, a)
		})
	}
	l, err := net.Listen("tcp", chartAddress)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: logRequests(mux, filepath.Join(p.Logs(), "chart-repository.log")), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		_ = srv.Close()
	}()
	go func() { _ = srv.Serve(l) }()
	return nil
}

// logRequests records each request, so a failing install shows whether
// provider-helm fetched its chart.
func logRequests(h http.Handler, path string) http.Handler {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(f, "%s %s %s\n", time.Now().Format("15:04:05.000"), r.Method, r.URL.Path)
		h.ServeHTTP(w, r)
	})
}

// chartIndex is a repository index.yaml for chart archives, as `helm repo
// index` writes it: each chart's Chart.yaml with its digest and URL.
func chartIndex(archives []string) ([]byte, error) {
	now := time.Now().UTC().Format(time.RFC3339)
	entries := map[string][]any{}
	for _, a := range archives {
		meta, err := chartMetadata(a)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", a, err)
		}
		data, err := os.ReadFile(a)
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(data)
		meta["digest"] = hex.EncodeToString(sum[:])
		meta["urls"] = []any{filepath.Base(a)}
		meta["created"] = now
		name, _ := meta["name"].(string)
		entries[name] = append(entries[name], meta)
	}
	return yaml.Marshal(map[string]any{"apiVersion": "v1", "entries": entries, "generated": now})
}

// chartMetadata reads Chart.yaml at the top of a chart archive.
func chartMetadata(archive string) (map[string]any, error) {
	f, err := os.Open(archive)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil, errors.New("no Chart.yaml")
		}
		if err != nil {
			return nil, err
		}
		if dir, file, ok := strings.Cut(h.Name, "/"); !ok || dir == "" || file != "Chart.yaml" {
			continue
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			return nil, err
		}
		var meta map[string]any
		if err := yaml.Unmarshal(data, &meta); err != nil {
			return nil, err
		}
		return meta, nil
	}
}
