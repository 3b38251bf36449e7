package plane

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestChartRBAC renders the chart of every Crossplane release the plane
// runs: the ServiceAccounts and roles the plane's identities rely on are
// there, and nothing but RBAC is returned.
func TestChartRBAC(t *testing.T) {
	out, err := exec.Command("bash", "../../tools/live-binaries.sh", "--cached").Output()
	if err != nil {
		t.Skip("live-plane binaries are not built (test/tools/live-binaries.sh)")
	}
	bin := strings.TrimSpace(string(out))
	for _, chart := range []string{filepath.Join(bin, "crossplane-chart"), filepath.Join(bin, "crossplane-oldest", "crossplane-chart")} {
		objs, err := ChartRBAC(chart, "crossplane-system")
		if err != nil {
			t.Fatalf("%s: %v", chart, err)
		}
		got := map[string]bool{}
		for _, o := range objs {
			got[o.GetKind()+" "+o.GetNamespace()+"/"+o.GetName()] = true
			if o.GetKind() == "Deployment" || o.GetKind() == "Service" || o.GetKind() == "Secret" {
				t.Errorf("%s: ChartRBAC returned %s %s", chart, o.GetKind(), o.GetName())
			}
		}
		for _, want := range []string{
			"ServiceAccount crossplane-system/" + CrossplaneServiceAccount,
			"ServiceAccount crossplane-system/" + RBACManagerServiceAccount,
			"ClusterRole /crossplane", "ClusterRoleBinding /crossplane",
			"ClusterRole /crossplane:system:aggregate-to-crossplane",
			"ClusterRole /crossplane-rbac-manager", "ClusterRoleBinding /crossplane-rbac-manager",
			"ClusterRole /crossplane:allowed-provider-permissions",
		} {
			if !got[want] {
				t.Errorf("%s: no %s among %d objects", chart, want, len(objs))
			}
		}
	}
}
