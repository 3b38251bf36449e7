package argocd

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"sigs.k8s.io/yaml"
)

func docs(t *testing.T, glob string) []map[string]any {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "..", glob))
	if err != nil || len(files) == 0 {
		t.Fatalf("no files match %s", glob)
	}
	var out []map[string]any
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range bytes.Split(b, []byte("\n---")) {
			obj := map[string]any{}
			if err := yaml.Unmarshal(d, &obj); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			if len(obj) > 0 {
				out = append(out, obj)
			}
		}
	}
	return out
}

func TestApplicationSuitsCrossplane(t *testing.T) {
	apps := docs(t, "example/argocd/application.yaml")
	if len(apps) != 1 || apps[0]["kind"] != "Application" {
		t.Fatalf("want one Application, got %v", apps)
	}
	spec := apps[0]["spec"].(map[string]any)
	if spec["source"].(map[string]any)["path"] != "example/claims" {
		t.Errorf("the Application must sync the claims directory")
	}
	opts := spec["syncPolicy"].(map[string]any)["syncOptions"].([]any)
	for _, want := range []string{"SkipDryRunOnMissingResource=true", "ServerSideApply=true", "RespectIgnoreDifferences=true"} {
		if !slices.Contains(opts, any(want)) {
			t.Errorf("syncOptions lacks %s: %v", want, opts)
		}
	}
	ignored := spec["ignoreDifferences"].([]any)[0].(map[string]any)
	if ignored["kind"] != "PlatformCluster" || !slices.Contains(ignored["jsonPointers"].([]any), any("/spec/resourceRef")) {
		t.Errorf("want Crossplane's claim fields ignored, got %v", ignored)
	}
}

func TestClaimsMatchTheAPI(t *testing.T) {
	var claims int
	for _, obj := range docs(t, "example/claims/*.yaml") {
		if obj["kind"] != "PlatformCluster" {
			continue
		}
		claims++
		if obj["apiVersion"] != "platform.fpc.dev/v1alpha1" {
			t.Errorf("claim apiVersion: %v", obj["apiVersion"])
		}
		md := obj["metadata"].(map[string]any)
		if md["namespace"] == nil {
			t.Errorf("claim %v has no namespace", md["name"])
		}
	}
	if claims == 0 {
		t.Error("example/claims holds no PlatformCluster")
	}
}

// Every tenant in Git lives on a PlatformCluster in Git, and Argo CD
// ignores what Crossplane writes on its claim too.
func TestTenantClaimsNameAPlatformInGit(t *testing.T) {
	platforms := map[string]bool{}
	var tenants []map[string]any
	for _, obj := range docs(t, "example/claims/*.yaml") {
		md := obj["metadata"].(map[string]any)
		switch obj["kind"] {
		case "PlatformCluster":
			platforms[fmt.Sprint(md["namespace"], "/", md["name"])] = true
		case "PlatformTenant":
			tenants = append(tenants, obj)
		}
	}
	if len(tenants) == 0 {
		t.Fatal("example/claims holds no PlatformTenant")
	}
	for _, obj := range tenants {
		md := obj["metadata"].(map[string]any)
		ref := obj["spec"].(map[string]any)["clusterRef"].(map[string]any)
		ns := ref["namespace"]
		if ns == nil {
			ns = md["namespace"]
		}
		if !platforms[fmt.Sprint(ns, "/", ref["name"])] {
			t.Errorf("tenant %v/%v names PlatformCluster %v/%v, which example/claims does not hold", md["namespace"], md["name"], ns, ref["name"])
		}
	}
	app := docs(t, "example/argocd/application.yaml")[0]
	var ignored bool
	for _, d := range app["spec"].(map[string]any)["ignoreDifferences"].([]any) {
		ignored = ignored || d.(map[string]any)["kind"] == "PlatformTenant"
	}
	if !ignored {
		t.Error("the Application must ignore Crossplane's fields on PlatformTenant claims")
	}
}
