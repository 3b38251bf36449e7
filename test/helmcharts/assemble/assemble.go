package main

import (
	"archive/tar"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	chart "helm.sh/helm/v4/pkg/chart/v2"
	"helm.sh/helm/v4/pkg/chart/v2/loader"
	chartutil "helm.sh/helm/v4/pkg/chart/v2/util"
)

// assemble writes the source's archive into out and returns its path.
func (s source) assemble(mirror, shared, out string) (string, error) {
	dst := filepath.Join(out, s.name+"-"+s.version+".tgz")
	if s.sharedSHA256 != "" {
		return dst, copyChecked(filepath.Join(shared, filepath.Base(dst)), dst, s.sharedSHA256)
	}
	tmp, err := os.MkdirTemp("", "assemble-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	var dir string
	var stamp time.Time
	if s.module != "" {
		dir, stamp, err = s.fromModule(tmp)
	} else {
		dir, stamp, err = s.fromGit(mirror, tmp)
	}
	if err != nil {
		return "", err
	}
	ch, err := loader.LoadDir(dir)
	if err != nil {
		return "", err
	}
	if s.module != "" {
		if err := s.release(ch, dir); err != nil {
			return "", err
		}
	}
	if ch.Metadata.Version != s.version {
		return "", fmt.Errorf("the chart at %s says version %s", s.tag, ch.Metadata.Version)
	}
	restamp(ch, stamp)
	return chartutil.Save(ch, out)
}

// fromGit extracts the chart from the repository at the tag, with the
// folders its links point at, and returns the chart's folder and the time
// of the tag's commit.
func (s source) fromGit(mirror, tmp string) (string, time.Time, error) {
	gitDir := filepath.Join(mirror, strings.Replace(s.repo, "/", "+", 1), "repo")
	args := []string{"--git-dir=" + gitDir, "archive", "--format=tar", s.tag}
	if s.path != "." {
		args = append(args, s.path)
	}
	for _, target := range s.links {
		args = append(args, target)
	}
	tarball, err := exec.Command("git", args...).Output()
	if err != nil {
		return "", time.Time{}, fmt.Errorf("git archive %s %s: %w", s.repo, s.tag, err)
	}
	if err := untar(bytes.NewReader(tarball), tmp); err != nil {
		return "", time.Time{}, err
	}
	dir := filepath.Join(tmp, s.path)
	for link, target := range s.links {
		l := filepath.Join(dir, link)
		if fi, err := os.Lstat(l); err != nil || fi.Mode()&os.ModeSymlink == 0 {
			return "", time.Time{}, fmt.Errorf("%s is not a link at %s", link, s.tag)
		}
		if err := os.Remove(l); err != nil {
			return "", time.Time{}, err
		}
		if err := os.Rename(filepath.Join(tmp, target), l); err != nil {
			return "", time.Time{}, err
		}
	}
	when, err := exec.Command("git", "--git-dir="+gitDir, "log", "-1", "--format=%cI", s.tag).Output()
	if err != nil {
		return "", time.Time{}, err
	}
	stamp, err := time.Parse(time.RFC3339, strings.TrimSpace(string(when)))
	return dir, stamp, err
}

func untar(r io.Reader, dst string) error {
	tr := tar.NewReader(r)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		p := filepath.Join(dst, filepath.Clean("/"+h.Name))
		switch h.Typeflag {
		case tar.TypeDir:
			err = os.MkdirAll(p, 0o755)
		case tar.TypeSymlink:
			err = os.Symlink(h.Linkname, p)
		case tar.TypeReg:
			var b []byte
			if b, err = io.ReadAll(tr); err == nil {
				err = os.WriteFile(p, b, 0o644)
			}
		}
		if err != nil {
			return err
		}
	}
}

// fromModule copies what cert-manager's release step packages
// (make/manifests.mk: README.md from README.template.md, Chart.yaml,
// values.yaml, values.schema.json, .helmignore, templates/) from the Go
// module proxy's copy of the tag.
func (s source) fromModule(tmp string) (string, time.Time, error) {
	cmd := exec.Command("go", "mod", "download", "-json", s.module+"@"+s.tag)
	cmd.Dir = tmp
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
	out, err := cmd.Output()
	if err != nil {
		return "", time.Time{}, fmt.Errorf("go mod download %s@%s: %w", s.module, s.tag, err)
	}
	var m struct{ Dir, Info string }
	if err := json.Unmarshal(out, &m); err != nil {
		return "", time.Time{}, err
	}
	var info struct{ Time time.Time }
	if b, err := os.ReadFile(m.Info); err != nil || json.Unmarshal(b, &info) != nil {
		return "", time.Time{}, fmt.Errorf("reading %s: %v", m.Info, err)
	}
	src, dir := filepath.Join(m.Dir, s.path), filepath.Join(tmp, "chart")
	if err := os.MkdirAll(filepath.Join(dir, "templates"), 0o755); err != nil {
		return "", time.Time{}, err
	}
	readme, err := os.ReadFile(filepath.Join(src, "README.template.md"))
	if err != nil {
		return "", time.Time{}, err
	}
	readme = bytes.ReplaceAll(readme, []byte("{{RELEASE_VERSION}}"), []byte(s.tag))
	if err := os.WriteFile(filepath.Join(dir, "README.md"), readme, 0o644); err != nil {
		return "", time.Time{}, err
	}
	files := []string{"Chart.yaml", "values.yaml", "values.schema.json", ".helmignore", "signkey_annotation.txt"}
	templates, _ := filepath.Glob(filepath.Join(src, "templates", "*"))
	for _, t := range templates {
		files = append(files, filepath.Join("templates", filepath.Base(t)))
	}
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(src, f))
		if err != nil {
			return "", time.Time{}, err
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			return "", time.Time{}, err
		}
	}
	return dir, info.Time, nil
}

// release does what cert-manager's Makefile does to Chart.yaml with yq:
// version and appVersion become the tag, and two annotations are added.
// signkey_annotation.txt is read, not packaged.
func (s source) release(ch *chart.Chart, dir string) error {
	key, err := os.ReadFile(filepath.Join(dir, "signkey_annotation.txt"))
	if err != nil {
		return err
	}
	kept := ch.Files[:0]
	for _, f := range ch.Files {
		if f.Name != "signkey_annotation.txt" {
			kept = append(kept, f)
		}
	}
	ch.Files = kept
	ch.Metadata.Version, ch.Metadata.AppVersion = s.tag, s.tag
	if ch.Metadata.Annotations == nil {
		ch.Metadata.Annotations = map[string]string{}
	}
	ch.Metadata.Annotations["artifacthub.io/signKey"] = string(key)
	ch.Metadata.Annotations["artifacthub.io/prerelease"] = "false"
	return nil
}

// restamp gives every file of the chart and its subcharts one time, so the
// archive's bytes depend on the sources only.
func restamp(ch *chart.Chart, t time.Time) {
	ch.ModTime, ch.SchemaModTime = t, t
	for _, f := range append(append(ch.Raw, ch.Templates...), ch.Files...) {
		f.ModTime = t
	}
	for _, d := range ch.Dependencies() {
		restamp(d, t)
	}
}

func copyChecked(src, dst, want string) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(b)
	if got := hex.EncodeToString(sum[:]); got != want {
		return fmt.Errorf("%s has sha256 %s, not the %s recorded in its README", src, got, want)
	}
	return os.WriteFile(dst, b, 0o644)
}
