// Package argocd tests the Argo CD side of GitOps: the PlatformCluster
// health check, run with a Lua VM the way Argo CD runs it, and the manifests
// in example/argocd and example/claims.
package argocd

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"
	"sigs.k8s.io/yaml"
)

const script = "../../example/argocd/health/platformcluster.lua"

// health runs the check the way Argo CD does: the object is the global obj,
// and the script returns a table with status and message.
func health(t *testing.T, src string, obj map[string]any) (string, string) {
	t.Helper()
	L := lua.NewState(lua.Options{SkipOpenLibs: false})
	defer L.Close()
	L.SetGlobal("obj", toLua(L, obj))
	if err := L.DoString(src); err != nil {
		t.Fatalf("health check failed to run: %v", err)
	}
	ret, ok := L.Get(-1).(*lua.LTable)
	if !ok {
		t.Fatalf("health check returned %s, want a table", L.Get(-1).Type())
	}
	return lua.LVAsString(ret.RawGetString("status")), lua.LVAsString(ret.RawGetString("message"))
}

// toLua converts decoded JSON the way Argo CD's Lua VM does: objects become
// tables keyed by name, arrays tables indexed from 1.
func toLua(L *lua.LState, v any) lua.LValue {
	switch x := v.(type) {
	case map[string]any:
		t := L.NewTable()
		for k, e := range x {
			t.RawSetString(k, toLua(L, e))
		}
		return t
	case []any:
		t := L.NewTable()
		for _, e := range x {
			t.Append(toLua(L, e))
		}
		return t
	case string:
		return lua.LString(x)
	case bool:
		return lua.LBool(x)
	case float64:
		return lua.LNumber(x)
	case nil:
		return lua.LNil
	default:
		return lua.LString("")
	}
}

func claim(t *testing.T, status string) map[string]any {
	t.Helper()
	obj := map[string]any{}
	doc := "apiVersion: platform.fpc.dev/v1alpha1\nkind: PlatformCluster\nmetadata: {name: demo, namespace: team-a}\n" + status
	if err := yaml.Unmarshal([]byte(doc), &obj); err != nil {
		t.Fatal(err)
	}
	return obj
}

func TestHealth(t *testing.T) {
	b, err := os.ReadFile(script)
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]struct {
		status      string
		wantStatus  string
		wantMessage string
	}{
		"NoStatusYet": {
			wantStatus: "Progressing", wantMessage: "Waiting for Crossplane to reconcile the claim",
		},
		"CreatingWaitsForCluster": {
			status: `status:
  conditions:
  - {type: Synced, status: "True", reason: ReconcileSuccess}
  - {type: Ready, status: "False", reason: Creating, message: "Unready resources: cluster"}
  - {type: SpecValid, status: "True", reason: ValidSpec}
  - {type: ClusterReady, status: "False", reason: Creating, message: "waiting for the LKE cluster to become ready and publish its kubeconfig"}
`,
			wantStatus: "Progressing", wantMessage: "waiting for the LKE cluster to become ready and publish its kubeconfig",
		},
		"SyncedButAddonsInstalling": {
			status: `status:
  conditions:
  - {type: Synced, status: "True", reason: ReconcileSuccess}
  - {type: Ready, status: "False", reason: Creating, message: "Unready resources: release-loki"}
  - {type: ClusterReady, status: "True", reason: Available}
  - {type: AddonsReady, status: "False", reason: Installing, message: "loki: release-loki: Ready=False: Unavailable"}
`,
			wantStatus: "Progressing", wantMessage: "loki: release-loki: Ready=False: Unavailable",
		},
		"AddonsUpCertificatesIssuing": {
			status: `status:
  conditions:
  - {type: Synced, status: "True", reason: ReconcileSuccess}
  - {type: Ready, status: "False", reason: Creating}
  - {type: ClusterReady, status: "True", reason: Available}
  - {type: AddonsReady, status: "True", reason: Available}
  - {type: DNSReady, status: "True", reason: Available}
  - {type: CertificatesReady, status: "False", reason: Issuing, message: "grafana.platform.example.com: Pending: waiting for the ACME challenge"}
  - {type: WorkloadsReady, status: "False", reason: Deploying, message: "shop: waiting"}
`,
			wantStatus: "Progressing", wantMessage: "grafana.platform.example.com: Pending: waiting for the ACME challenge",
		},
		"ReadyWithoutOurConditions": {
			status: `status:
  conditions:
  - {type: Ready, status: "False", reason: Creating, message: "Unready resources: cluster"}
`,
			wantStatus: "Progressing", wantMessage: "Unready resources: cluster",
		},
		"Healthy": {
			status: `status:
  conditions:
  - {type: Synced, status: "True", reason: ReconcileSuccess}
  - {type: Ready, status: "True", reason: Available}
`,
			wantStatus: "Healthy", wantMessage: "Platform is ready",
		},
		"ReconcileError": {
			status: `status:
  conditions:
  - {type: Synced, status: "False", reason: ReconcileError, message: "cannot compose resources: cannot run pipeline step"}
  - {type: Ready, status: "False", reason: Creating}
`,
			wantStatus: "Degraded", wantMessage: "cannot compose resources: cannot run pipeline step",
		},
		"InvalidSpec": {
			status: `status:
  conditions:
  - {type: Synced, status: "False", reason: ReconcileError, message: "pipeline step failed"}
  - {type: SpecValid, status: "False", reason: InvalidSpec, message: "spec.clusterSpec.labels[team]: Required value"}
`,
			wantStatus: "Degraded", wantMessage: "spec.clusterSpec.labels[team]: Required value",
		},
		"ReadyFalseForAnotherReason": {
			status: `status:
  conditions:
  - {type: Synced, status: "True", reason: ReconcileSuccess}
  - {type: Ready, status: "False", reason: Unavailable, message: "the composite resource is unavailable"}
`,
			wantStatus: "Degraded", wantMessage: "the composite resource is unavailable",
		},
		"Deleting": {
			status: `status:
  conditions:
  - {type: Synced, status: "True", reason: ReconcileSuccess}
  - {type: Ready, status: "False", reason: Deleting}
`,
			wantStatus: "Progressing", wantMessage: "Deleting",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			status, message := health(t, string(b), claim(t, tc.status))
			if status != tc.wantStatus || message != tc.wantMessage {
				t.Errorf("health: want %s %q, got %s %q", tc.wantStatus, tc.wantMessage, status, message)
			}
		})
	}
}

// TestArgoCDConfigEmbedsTheTestedScript keeps the argocd-cm snippet and the
// tested script identical.
func TestArgoCDConfigEmbedsTheTestedScript(t *testing.T) {
	b, err := os.ReadFile(script)
	if err != nil {
		t.Fatal(err)
	}
	cm := map[string]any{}
	raw, err := os.ReadFile(filepath.Join("..", "..", "example", "argocd", "argocd-cm.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(raw, &cm); err != nil {
		t.Fatal(err)
	}
	data := cm["data"].(map[string]any)
	for _, k := range []string{
		"resource.customizations.health.platform.fpc.dev_PlatformCluster",
		"resource.customizations.health.platform.fpc.dev_XPlatformCluster",
		"resource.customizations.health.platform.fpc.dev_PlatformTenant",
		"resource.customizations.health.platform.fpc.dev_XPlatformTenant",
	} {
		if got, _ := data[k].(string); strings.TrimSpace(got) != strings.TrimSpace(string(b)) {
			t.Errorf("%s differs from %s", k, script)
		}
	}
	if data["application.resourceTrackingMethod"] != "annotation" {
		t.Errorf("want annotation tracking, got %v", data["application.resourceTrackingMethod"])
	}
}

// A tenant's claim uses the same script: it waits on its platform, then its
// namespaces, and is Healthy as a tenant.
func TestTenantHealth(t *testing.T) {
	b, err := os.ReadFile(script)
	if err != nil {
		t.Fatal(err)
	}
	tenant := func(status string) map[string]any {
		obj := claim(t, status)
		obj["kind"] = "PlatformTenant"
		return obj
	}
	cases := map[string]struct{ status, wantStatus, wantMessage string }{
		"WaitsForItsPlatform": {
			status: `status:
  conditions:
  - {type: Synced, status: "True", reason: ReconcileSuccess}
  - {type: Ready, status: "False", reason: Creating}
  - {type: ClusterReady, status: "False", reason: Waiting, message: "spec.clusterRef: PlatformCluster team-a/demo was not found"}
  - {type: NamespacesReady, status: "False", reason: Waiting, message: "nothing is composed: spec.clusterRef: PlatformCluster team-a/demo was not found"}
`,
			wantStatus: "Progressing", wantMessage: "spec.clusterRef: PlatformCluster team-a/demo was not found",
		},
		"NamespacesComing": {
			status: `status:
  conditions:
  - {type: Synced, status: "True", reason: ReconcileSuccess}
  - {type: Ready, status: "False", reason: Creating}
  - {type: ClusterReady, status: "True", reason: Available}
  - {type: NamespacesReady, status: "False", reason: Creating, message: "team-b: ns-team-b: not created yet"}
  - {type: WorkloadsReady, status: "False", reason: Deploying, message: "web: waiting for namespace team-b's quota"}
`,
			wantStatus: "Progressing", wantMessage: "team-b: ns-team-b: not created yet",
		},
		"NamespaceTaken": {
			status: `status:
  conditions:
  - {type: SpecValid, status: "False", reason: InvalidSpec, message: "spec.namespaces[0]: Forbidden: namespace team-b on PlatformCluster team-a/demo belongs to PlatformTenant team-c/rival (XPlatformTenant team-c-9zz1q)"}
`,
			wantStatus: "Degraded", wantMessage: "spec.namespaces[0]: Forbidden: namespace team-b on PlatformCluster team-a/demo belongs to PlatformTenant team-c/rival (XPlatformTenant team-c-9zz1q)",
		},
		"Ready": {
			status: `status:
  conditions:
  - {type: Synced, status: "True", reason: ReconcileSuccess}
  - {type: Ready, status: "True", reason: Available}
`,
			wantStatus: "Healthy", wantMessage: "Tenant is ready",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			status, message := health(t, string(b), tenant(tc.status))
			if status != tc.wantStatus || message != tc.wantMessage {
				t.Errorf("health: want %s %q, got %s %q", tc.wantStatus, tc.wantMessage, status, message)
			}
		})
	}
}
