package fn

import (
	"context"
	"strings"
	"testing"

	"google.golang.org/protobuf/types/known/structpb"

	"github.com/crossplane/function-sdk-go/logging"

	"github.com/platformcluster/function-platform-cluster/fn/addons"
	"github.com/platformcluster/function-platform-cluster/fn/charts"
	"github.com/platformcluster/function-platform-cluster/fn/settings"
)

// TestGatewayAPICRDsInstaller: the installer is composed until its Job was
// seen Complete and the XR's status remembers it; from then on neither it
// nor anything waiting for it is composed, and the gateway controller
// stays. A status naming another installer (a new pin) brings it back.
func TestGatewayAPICRDsInstaller(t *testing.T) {
	req := convergeExample(t)
	xrStatus := req.GetObserved().GetComposite().GetResource().GetFields()["status"].GetStructValue()
	current := addons.CRDsInstaller(addons.Gateway{KubectlImage: settings.DefaultSecretGeneratorImage})
	if got := xrStatus.GetFields()[addons.CRDsStatusField].GetStringValue(); got != current {
		t.Fatalf("status.%s = %q, want %q", addons.CRDsStatusField, got, current)
	}
	installer := func(keys []string) []string {
		var out []string
		for _, k := range keys {
			if strings.HasPrefix(k, addons.CRDsKey) {
				out = append(out, k)
			}
		}
		return out
	}
	f := New(logging.NewNopLogger())
	rsp, err := f.RunFunction(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if got := installer(sortedKeys(rsp.GetDesired().GetResources())); len(got) > 0 {
		t.Errorf("the installer completed, yet %v are composed", got)
	}
	if _, ok := rsp.GetDesired().GetResources()[addons.ReleaseKey(charts.GatewayFabric)]; !ok {
		t.Errorf("the gateway controller must stay composed")
	}
	if got := rsp.GetDesired().GetComposite().GetResource().GetFields()["status"].GetStructValue().GetFields()[addons.CRDsStatusField].GetStringValue(); got != current {
		t.Errorf("the status must keep remembering %s, got %q", current, got)
	}

	xrStatus.Fields[addons.CRDsStatusField] = structpb.NewStringValue("gateway-api-crds-v1-4-1-00000000")
	rsp, err = f.RunFunction(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if got := installer(sortedKeys(rsp.GetDesired().GetResources())); len(got) != 4 {
		t.Errorf("another installer completed before: want the current one's four Objects, got %v", got)
	}
	if _, ok := rsp.GetDesired().GetComposite().GetResource().GetFields()["status"].GetStructValue().GetFields()[addons.CRDsStatusField]; ok {
		t.Errorf("the status must not name an installer that has not completed")
	}
}
