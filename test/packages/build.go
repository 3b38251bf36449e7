package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"
)

// The names this repository's own files use; a build for another registry
// replaces them.
const (
	upstream       = "xpkg.upbound.io/platformcluster"
	upstreamTag    = "v0.1.0"
	functionRepo   = "function-platform-cluster"
	configRepo     = "platform-cluster"
	functionDepKey = "function: " + upstream + "/" + functionRepo
)

// Options say what to build and where.
type Options struct {
	// Registry is the registry and organisation packages are published
	// under, e.g. xpkg.example.com/acme.
	Registry string
	// Version is the release of both packages (v0.1.0).
	Version string
	// Out is the folder everything is written to.
	Out string
	// Root is the repository root.
	Root string
	// Crossplane is the crossplane CLI binary.
	Crossplane string
}

// Result is what Build wrote.
type Result struct {
	FunctionPackage, ConfigurationPackage string
	// FunctionRef and ConfigurationRef are where the packages are pushed.
	FunctionRef, ConfigurationRef string
	// Install holds example/install with the package names replaced.
	Install string
	// FunctionName is the Function's name in the install manifests and the
	// Composition: the name Crossplane's dependency resolution gives it.
	FunctionName string
}

var semverTag = regexp.MustCompile(`^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$`)

// Build writes the runtime image, both packages and the install manifests.
func Build(o Options) (Result, error) {
	if err := o.absolute(); err != nil {
		return Result{}, err
	}
	if err := o.check(); err != nil {
		return Result{}, err
	}
	r := Result{
		FunctionPackage:      filepath.Join(o.Out, "function.xpkg"),
		ConfigurationPackage: filepath.Join(o.Out, "configuration.xpkg"),
		FunctionRef:          o.Registry + "/" + functionRepo + ":" + o.Version,
		ConfigurationRef:     o.Registry + "/" + configRepo + ":" + o.Version,
		Install:              filepath.Join(o.Out, "install"),
		FunctionName:         DependencyName(o.Registry + "/" + functionRepo),
	}
	image := filepath.Join(o.Out, "function-amd64.tar")
	if err := o.run("go", "run", "./test/image", "-o", image, "-tag", o.Version); err != nil {
		return r, err
	}
	if err := o.run(o.Crossplane, "xpkg", "build", "--package-root=package/function",
		"--embed-runtime-image-tarball="+image, "-o", r.FunctionPackage); err != nil {
		return r, err
	}
	stage := filepath.Join(o.Out, "configuration")
	if err := o.stageConfiguration(stage, r.FunctionName); err != nil {
		return r, err
	}
	if err := o.run(o.Crossplane, "xpkg", "build", "--package-root="+stage, "-o", r.ConfigurationPackage); err != nil {
		return r, err
	}
	return r, o.writeInstall(r)
}

func (o Options) check() error {
	if o.Registry == "" {
		return errors.New("-registry is required: the registry and organisation to publish under, e.g. xpkg.example.com/acme")
	}
	if !semverTag.MatchString(o.Version) {
		return fmt.Errorf("-version %q: want a release such as v0.1.0", o.Version)
	}
	// Both references must parse as a user's kubectl apply would have
	// Crossplane parse them.
	for _, repo := range []string{functionRepo, configRepo} {
		if _, err := name.NewTag(o.Registry+"/"+repo+":"+o.Version, name.StrictValidation); err != nil {
			return fmt.Errorf("-registry %q: %w", o.Registry, err)
		}
	}
	return os.MkdirAll(o.Out, 0o750)
}

// absolute makes Out and Root absolute: the tools run in Root.
func (o *Options) absolute() (err error) {
	if o.Out, err = filepath.Abs(o.Out); err != nil {
		return err
	}
	o.Root, err = filepath.Abs(o.Root)
	return err
}

// FunctionConstraint is the function dependency a Configuration of version
// v has: that release or a later patch of it, so that a Function moved to a
// patch release still satisfies the Configuration.
func FunctionConstraint(v string) string {
	m := semverTag.FindStringSubmatch(v)
	return fmt.Sprintf(">=%s, <v%s.%s.0", v, m[1], next(m[2]))
}

func next(n string) string {
	var i int
	_, _ = fmt.Sscan(n, &i)
	return fmt.Sprint(i + 1)
}

// DependencyName is the name Crossplane gives a package it installs as a
// dependency: its repository path without the registry, as one DNS label
// (xpkg.ToDNSLabel). The Function is installed under that name, so that
// dependency resolution always finds it by name: while a Function moves to
// a new release, its old revision leaves Crossplane's lock before the new
// one joins it, and in that moment the resolver installs any dependency it
// cannot find; under another name that is a second Function of the same
// package, which breaks the lock (node ... already exists).
func DependencyName(repo string) string {
	ref, err := name.NewRepository(repo)
	if err != nil {
		return ""
	}
	s := ref.RepositoryStr()
	var b strings.Builder
	for i := 0; i < len(s) && i <= 62; i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
			b.WriteByte(c)
		case strings.IndexByte("./:-", c) >= 0 && i != 0 && i != 62 && i != len(s)-1:
			b.WriteByte('-')
		}
	}
	return strings.Trim(b.String(), "-")
}

// functionNameLine is how the Composition's functionRef and the Function's
// metadata name the function in this repository's files.
const functionNameLine = "name: " + functionRepo + "\n"

// stageConfiguration copies crossplane.yaml and the XRD and Composition into
// one package root, with the function dependency naming this build's
// function package and the Composition calling the Function by the name
// dependency resolution gives it.
func (o Options) stageConfiguration(stage, fnName string) error {
	if err := os.MkdirAll(stage, 0o750); err != nil {
		return err
	}
	meta, err := os.ReadFile(filepath.Join(o.Root, "crossplane.yaml"))
	if err != nil {
		return err
	}
	dep := regexp.MustCompile(`(?m)^(\s*- )` + regexp.QuoteMeta(functionDepKey) + `\n(\s*version: ).*$`)
	if len(dep.FindAllIndex(meta, -1)) != 1 {
		return fmt.Errorf("crossplane.yaml: want exactly one dependency %q followed by its version", functionDepKey)
	}
	meta = dep.ReplaceAll(meta, []byte(fmt.Sprintf("${1}function: %s/%s\n${2}%q", o.Registry, functionRepo, FunctionConstraint(o.Version))))
	if err := os.WriteFile(filepath.Join(stage, "crossplane.yaml"), meta, 0o600); err != nil {
		return err
	}
	files, _ := filepath.Glob(filepath.Join(o.Root, "package", "configuration", "*.yaml"))
	for _, f := range files {
		b, err := os.ReadFile(f) //nolint:gosec // The repository's own files.
		if err != nil {
			return err
		}
		if strings.HasSuffix(filepath.Base(f), "composition.yaml") {
			if b, err = renameFunction(b, fnName, 1); err != nil {
				return fmt.Errorf("%s: %w", f, err)
			}
		}
		if err := os.WriteFile(filepath.Join(stage, filepath.Base(f)), b, 0o600); err != nil {
			return err
		}
	}
	return nil
}

// renameFunction replaces want lines naming the function with fnName.
func renameFunction(b []byte, fnName string, want int) ([]byte, error) {
	if n := strings.Count(string(b), functionNameLine); n != want {
		return nil, fmt.Errorf("want %d line(s) %q, found %d", want, strings.TrimSpace(functionNameLine), n)
	}
	return []byte(strings.ReplaceAll(string(b), functionNameLine, "name: "+fnName+"\n")), nil
}

// writeInstall writes example/install with the Function and Configuration
// naming this build's packages; the other manifests are copied unchanged.
func (o Options) writeInstall(r Result) error {
	if err := os.MkdirAll(r.Install, 0o750); err != nil {
		return err
	}
	files, _ := filepath.Glob(filepath.Join(o.Root, "example", "install", "*.yaml"))
	for _, f := range files {
		b, err := os.ReadFile(f) //nolint:gosec // The repository's own files.
		if err != nil {
			return err
		}
		s := string(b)
		for from, to := range map[string]string{
			upstream + "/" + functionRepo + ":" + upstreamTag: r.FunctionRef,
			upstream + "/" + configRepo + ":" + upstreamTag:   r.ConfigurationRef,
		} {
			s = strings.ReplaceAll(s, "package: "+from+"\n", "package: "+to+"\n")
		}
		if strings.Contains(s, upstream+"/") {
			return fmt.Errorf("%s: a package of %s is left that this build does not replace", f, upstream)
		}
		if filepath.Base(f) == "01-function.yaml" {
			renamed, err := renameFunction([]byte(s), r.FunctionName, 1)
			if err != nil {
				return fmt.Errorf("%s: %w", f, err)
			}
			s = string(renamed)
		}
		if err := os.WriteFile(filepath.Join(r.Install, filepath.Base(f)), []byte(s), 0o600); err != nil {
			return err
		}
	}
	return nil
}

func (o Options) run(bin string, args ...string) error {
	cmd := exec.Command(bin, args...)
	cmd.Dir = o.Root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%s %s: %w\n%s", filepath.Base(bin), strings.Join(args, " "), err, out)
	}
	return nil
}
