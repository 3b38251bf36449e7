package fn

import (
	"context"
	"strings"
	"testing"

	"github.com/crossplane/function-sdk-go/logging"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/resource"

	"github.com/platformcluster/function-platform-cluster/fn/addons"
	"github.com/platformcluster/function-platform-cluster/fn/fntest"
)

// TestHarborAdminSecret: the Secret the Input names for Harbor's admin
// password is read as a required resource. Missing, or without its key,
// the claim says which Secret, key and Input field, and Harbor is not
// installed (no chart default in its place); present, Harbor is installed
// with the password set from it, never as a value.
func TestHarborAdminSecret(t *testing.T) {
	const input = `{"apiVersion":"platformcluster.fn.crossplane.io/v1beta1","kind":"Input","harbor":{"adminSecretName":"harbor-admin"}}`
	const spec = `{"clusterSpec": {"clusterName": "demo", "labels": {"team": "platform"}}, "components": {"harbor": {"enabled": true}}}`
	secret := func(data string) []*fnv1.Resource {
		return []*fnv1.Resource{{Resource: resource.MustStructJSON(`{"apiVersion":"v1","kind":"Secret","metadata":{"name":"harbor-admin","namespace":"crossplane-system"},"data":` + data + `}`)}}
	}
	cases := map[string]struct {
		secret  []*fnv1.Resource
		message string // empty: Harbor installed, no warning
	}{
		"Missing": {message: "spec.components.harbor: Secret crossplane-system/harbor-admin (function Input harbor.adminSecretName) not found; Harbor is not installed until it exists with key HARBOR_ADMIN_PASSWORD"},
		"NoKey":   {secret: secret(`{"password":"eA=="}`), message: "spec.components.harbor: Secret crossplane-system/harbor-admin (function Input harbor.adminSecretName) has no key HARBOR_ADMIN_PASSWORD"},
		"Present": {secret: secret(`{"HARBOR_ADMIN_PASSWORD":"eA=="}`)},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			f := New(logging.NewNopLogger())
			req := &fnv1.RunFunctionRequest{Input: resource.MustStructJSON(input), Observed: &fnv1.State{Composite: fntest.XR(spec)}}
			var rsp *fnv1.RunFunctionResponse
			for range 8 {
				var err error
				if rsp, err = f.RunFunction(context.Background(), req); err != nil {
					t.Fatal(err)
				}
				req = &fnv1.RunFunctionRequest{
					Input:             req.GetInput(),
					Observed:          &fnv1.State{Composite: fntest.XR(spec), Resources: fntest.Observed(rsp, fntest.All, true)},
					RequiredResources: map[string]*fnv1.Resources{harborAdminRequirement: {Items: tc.secret}},
				}
			}
			if got := rsp.GetRequirements().GetResources()[harborAdminRequirement]; got.GetMatchName() != "harbor-admin" || got.GetNamespace() != "crossplane-system" {
				t.Errorf("want the Secret required, got %v", got)
			}
			var warned bool
			for _, r := range rsp.GetResults() {
				warned = warned || (tc.message != "" && r.GetSeverity() == fnv1.Severity_SEVERITY_WARNING && strings.Contains(r.GetMessage(), tc.message))
			}
			rel, installed := rsp.GetDesired().GetResources()[addons.ReleaseKey("harbor")]
			status := rsp.GetDesired().GetComposite().GetResource().AsMap()["status"].(map[string]any)["components"].(map[string]any)["harbor"].(map[string]any)
			if tc.message != "" {
				if !warned || installed || !strings.Contains(status["message"].(string), "harbor-admin") {
					t.Errorf("want a warning %q, Harbor not installed and its status saying why; warned %v, installed %v, status %v", tc.message, warned, installed, status)
				}
				return
			}
			if !installed {
				t.Fatalf("Harbor not installed; results %v", rsp.GetResults())
			}
			fp := rel.GetResource().AsMap()["spec"].(map[string]any)["forProvider"].(map[string]any)
			set, _ := fp["set"].([]any)
			ref, _ := set[0].(map[string]any)["valueFrom"].(map[string]any)["secretKeyRef"].(map[string]any)
			if len(set) != 1 || ref["name"] != "harbor-admin" || ref["key"] != addons.HarborAdminKey {
				t.Errorf("want harborAdminPassword set from the Secret, got %v", fp["set"])
			}
		})
	}
}
