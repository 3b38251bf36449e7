package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"sigs.k8s.io/yaml"
)

func TestDependencyName(t *testing.T) {
	// What crossplane-runtime's xpkg.ToDNSLabel gives the repository path.
	for repo, want := range map[string]string{
		"xpkg.example.com/acme/function-platform-cluster":              "acme-function-platform-cluster",
		"127.0.0.1:5443/platformcluster/function-platform-cluster":     "platformcluster-function-platform-cluster",
		"registry.example.com/Team.Platform/function-platform-cluster": "",
		"ghcr.io/a/b.c/function-platform-cluster":                      "a-b-c-function-platform-cluster",
	} {
		if got := DependencyName(repo); got != want {
			t.Errorf("DependencyName(%q) = %q, want %q", repo, got, want)
		}
	}
}

func TestFunctionConstraint(t *testing.T) {
	for v, want := range map[string]string{
		"v0.1.0": ">=v0.1.0, <v0.2.0",
		"v0.1.1": ">=v0.1.1, <v0.2.0",
		"v1.9.3": ">=v1.9.3, <v1.10.0",
	} {
		if got := FunctionConstraint(v); got != want {
			t.Errorf("FunctionConstraint(%q) = %q, want %q", v, got, want)
		}
	}
}

func TestCheckRefusesBadNames(t *testing.T) {
	for _, o := range []Options{
		{Version: "v0.1.0"},
		{Registry: "xpkg.example.com/acme", Version: "0.1.0"},
		{Registry: "xpkg.example.com/acme", Version: "v0.1"},
		{Registry: "xpkg.example.com/Acme Corp", Version: "v0.1.0"},
	} {
		o.Out = t.TempDir()
		if err := o.check(); err == nil {
			t.Errorf("check accepted registry %q version %q", o.Registry, o.Version)
		}
	}
}

// TestNamesFollowTheRegistry: the Configuration depends on the function
// package of the registry it is built for, its Composition and the install
// manifests name the Function as dependency resolution does, and the
// install manifests name both packages.
func TestNamesFollowTheRegistry(t *testing.T) {
	o := Options{Registry: "xpkg.example.com/acme", Version: "v0.2.3", Root: filepath.Join("..", ".."), Out: t.TempDir()}
	if err := o.absolute(); err != nil {
		t.Fatal(err)
	}
	r := Result{
		FunctionRef:      "xpkg.example.com/acme/function-platform-cluster:v0.2.3",
		ConfigurationRef: "xpkg.example.com/acme/platform-cluster:v0.2.3",
		Install:          filepath.Join(o.Out, "install"),
		FunctionName:     "acme-function-platform-cluster",
	}
	stage := filepath.Join(o.Out, "configuration")
	if err := o.stageConfiguration(stage, r.FunctionName); err != nil {
		t.Fatal(err)
	}
	if err := o.writeInstall(r); err != nil {
		t.Fatal(err)
	}

	meta := read(t, filepath.Join(stage, "crossplane.yaml"))
	var deps []string
	for _, d := range dig(meta, "spec", "dependsOn").([]any) {
		m := d.(map[string]any)
		if f, ok := m["function"]; ok {
			deps = append(deps, f.(string)+" "+m["version"].(string))
		}
	}
	if diff := cmp.Diff([]string{"xpkg.example.com/acme/function-platform-cluster >=v0.2.3, <v0.3.0"}, deps); diff != "" {
		t.Errorf("function dependency: -want, +got:\n%s", diff)
	}
	comps, _ := filepath.Glob(filepath.Join(stage, "*composition.yaml"))
	if len(comps) == 0 {
		t.Fatal("no Composition staged")
	}
	for _, c := range comps {
		step := dig(read(t, c), "spec", "pipeline").([]any)[0].(map[string]any)
		if got := dig(step, "functionRef", "name"); got != r.FunctionName {
			t.Errorf("%s: functionRef = %v, want %s", filepath.Base(c), got, r.FunctionName)
		}
	}
	got := map[string]string{}
	files, _ := filepath.Glob(filepath.Join(r.Install, "*.yaml"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, doc := range strings.Split(string(b), "\n---\n") {
			m := map[string]any{}
			if err := yaml.Unmarshal([]byte(doc), &m); err != nil {
				t.Fatal(err)
			}
			if pkg, ok := dig(m, "spec", "package").(string); ok {
				got[m["kind"].(string)+"/"+dig(m, "metadata", "name").(string)] = pkg
			}
		}
	}
	want := map[string]string{
		"Function/acme-function-platform-cluster": r.FunctionRef,
		"Configuration/platform-cluster":          r.ConfigurationRef,
		"Provider/provider-linode":                "xpkg.upbound.io/linode/provider-linode:v0.0.29",
		"Provider/provider-helm":                  "xpkg.crossplane.io/crossplane-contrib/provider-helm:v1.3.0",
		"Provider/provider-kubernetes":            "xpkg.crossplane.io/crossplane-contrib/provider-kubernetes:v1.2.1",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("install manifests' packages: -want, +got:\n%s", diff)
	}
}

func read(t *testing.T, path string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]any{}
	if err := yaml.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func dig(m map[string]any, path ...string) any {
	var v any = m
	for _, p := range path {
		mm, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = mm[p]
	}
	return v
}
