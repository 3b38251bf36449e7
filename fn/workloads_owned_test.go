package fn

import (
	"context"
	"strings"
	"testing"

	"github.com/crossplane/function-sdk-go/logging"

	"github.com/platformcluster/function-platform-cluster/fn/fntest"
)

// prefixSharing holds pairs of workloads whose names share a prefix, the
// way "wl-shop-" is also the start of "wl-shop-x-...".
const prefixSharing = `{
	"clusterSpec": {"clusterName": "demo", "labels": {"team": "platform"}},
	"workloads": [
		{"name": "shop", "score": {"apiVersion": "score.dev/v1b1", "metadata": {"name": "shop"},
			"containers": {"main": {"image": "shop:1"}}, "service": {"ports": {"web": {"port": 80}}}}},
		{"name": "shop-x", "score": {"apiVersion": "score.dev/v1b1", "metadata": {"name": "shop-x"},
			"containers": {"main": {"image": "shop-x:1"}}, "service": {"ports": {"web": {"port": 80}}}}},
		{"name": "nginx", "score": {"apiVersion": "score.dev/v1b1", "metadata": {"name": "nginx"},
			"containers": {"main": {"image": "nginx:1"}}}},
		{"name": "nginx-unprivileged", "score": {"apiVersion": "score.dev/v1b1", "metadata": {"name": "nginx-unprivileged"},
			"containers": {"main": {"image": "nginx-unprivileged:1"}}}}
	]
}`

// TestWorkloadsOwnTheirObjects: when "shop" turns invalid and "shop-x" is
// edited in the same reconcile, shop keeps only its own Objects; shop-x's
// last delivery is not carried over its fresh one. Likewise for nginx and
// nginx-unprivileged.
func TestWorkloadsOwnTheirObjects(t *testing.T) {
	f := New(logging.NewNopLogger())
	req, err := fntest.Converge(context.Background(), f, prefixSharing, 10)
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.NewReplacer(
		`"image": "shop:1"`, `"imagee": "shop:1"`,
		`"image": "shop-x:1"`, `"image": "shop-x:2"`,
		`"image": "nginx:1"`, `"imagee": "nginx:1"`,
		`"image": "nginx-unprivileged:1"`, `"image": "nginx-unprivileged:2"`,
	).Replace(prefixSharing)
	req.Observed.Composite = fntest.XR(edited)
	rsp, err := f.RunFunction(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	res := rsp.GetDesired().GetResources()
	for key, image := range map[string]string{
		"wl-shop-x-deployment-shop-x":                         "shop-x:2",
		"wl-nginx-unprivileged-deployment-nginx-unprivileged": "nginx-unprivileged:2",
		"wl-shop-deployment-shop":                             "shop:1",
		"wl-nginx-deployment-nginx":                           "nginx:1",
	} {
		r, ok := res[key]
		if !ok {
			t.Errorf("%s is not composed", key)
			continue
		}
		if got := deploymentImage(r.GetResource().AsMap()); got != image {
			t.Errorf("%s: want image %s, got %s", key, image, got)
		}
	}
	status := rsp.GetDesired().GetComposite().GetResource().AsMap()["status"].(map[string]any)
	for _, w := range status["workloads"].([]any) {
		m := w.(map[string]any)
		msg, _ := m["message"].(string)
		switch m["name"] {
		case "shop", "nginx":
			if !strings.HasPrefix(msg, "kept as last delivered") {
				t.Errorf("status.workloads %v: want kept as last delivered, got %q", m["name"], msg)
			}
		case "shop-x", "nginx-unprivileged":
			if strings.Contains(msg, "kept") {
				t.Errorf("status.workloads %v: an edited, valid workload is not kept: %q", m["name"], msg)
			}
		}
	}
}

// deploymentImage is the first container's image of the Deployment an
// Object wraps.
func deploymentImage(o map[string]any) string {
	m := o["spec"].(map[string]any)["forProvider"].(map[string]any)["manifest"].(map[string]any)
	pod := m["spec"].(map[string]any)["template"].(map[string]any)["spec"].(map[string]any)
	c, _ := pod["containers"].([]any)[0].(map[string]any)
	s, _ := c["image"].(string)
	return s
}
