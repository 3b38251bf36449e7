package live

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	authorizationv1 "k8s.io/api/authorization/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/client-go/kubernetes"

	"github.com/platformcluster/function-platform-cluster/test/live/plane"
)

var clusterRoleKind = gvk("rbac.authorization.k8s.io", "v1", "ClusterRole")

// crossplaneUser is who Crossplane core is to the API server.
const crossplaneUser = "system:serviceaccount:crossplane-system:" + plane.CrossplaneServiceAccount

// chartAggregateRole is the chart's ClusterRole that grants Crossplane core
// its base rules, ConfigMaps among them, by aggregation.
const chartAggregateRole = "crossplane:system:aggregate-to-crossplane"

// crossplaneMayListConfigMaps asks the API server whether Crossplane core
// may list ConfigMaps in every namespace, as its cache does to read a
// required ConfigMap.
func crossplaneMayListConfigMaps(ctx context.Context) (bool, string, error) {
	cs, err := kubernetes.NewForConfig(cp.Mgmt.Config)
	if err != nil {
		return false, "", err
	}
	r, err := cs.AuthorizationV1().SubjectAccessReviews().Create(ctx, &authorizationv1.SubjectAccessReview{Spec: authorizationv1.SubjectAccessReviewSpec{
		User:               crossplaneUser,
		Groups:             []string{"system:serviceaccounts", "system:serviceaccounts:crossplane-system", "system:authenticated"},
		ResourceAttributes: &authorizationv1.ResourceAttributes{Verb: "list", Resource: "configmaps"},
	}}, metav1.CreateOptions{})
	if err != nil {
		return false, "", err
	}
	return r.Status.Allowed, r.Status.Reason, nil
}

// xrWarning is the latest Warning event on the XR whose message holds
// text.
func xrWarning(ctx context.Context, xr, text string) (string, error) {
	return xrWarningSince(ctx, xr, text, time.Time{})
}

// xrWarningSince is the latest Warning event on the XR whose message holds
// text, last seen at or after since.
func xrWarningSince(ctx context.Context, xr, text string, since time.Time) (string, error) {
	cs, err := kubernetes.NewForConfig(cp.Mgmt.Config)
	if err != nil {
		return "", err
	}
	evs, err := cs.CoreV1().Events("").List(ctx, metav1.ListOptions{FieldSelector: "involvedObject.name=" + xr})
	if err != nil {
		return "", err
	}
	var msg string
	var at time.Time
	for _, e := range evs.Items {
		last := e.LastTimestamp.Time
		if e.Type == "Warning" && strings.Contains(e.Message, text) && !last.Before(at) && !last.Before(since.Truncate(time.Second)) {
			msg, at = e.Message, last
		}
	}
	if msg == "" {
		return "", fmt.Errorf("no Warning event on XR %s mentions %q (%d events)", xr, text, len(evs.Items))
	}
	return msg, nil
}

// missingRBACIsReported shows what example/install/04-crossplane-rbac.yaml
// is for. Crossplane's chart at the tested version already lets Crossplane
// read ConfigMaps; the test asserts that, then takes the grant away as a
// control plane whose Crossplane role lacks it would be, applies the
// example claims, and records what the user sees. Applying 04 as a user
// would mends it; the chart's role is then restored.
func missingRBACIsReported(t *testing.T) {
	ctx := ctxFor(t)
	if ok, why, err := crossplaneMayListConfigMaps(ctx); err != nil || !ok {
		t.Fatalf("with its chart's RBAC, Crossplane may not list ConfigMaps (%s, %v): 04-crossplane-rbac.yaml is needed by every install, not only some; README must say so", why, err)
	}
	chartRole, err := cp.Mgmt.Get(ctx, clusterRoleKind, "", chartAggregateRole)
	if err != nil {
		t.Fatal(err)
	}
	stripped := withoutConfigMaps(chartRole)
	if err := cp.Mgmt.Apply(ctx, stripped); err != nil {
		t.Fatal(err)
	}
	rules, _, _ := unstructured.NestedSlice(chartRole.Object, "rules")
	defer func() {
		if err := cp.Mgmt.Apply(context.Background(), forApply(chartRole, rules)); err != nil {
			t.Errorf("restore the chart's %s: %v", chartAggregateRole, err)
		}
	}()
	eventually(t, time.Minute, "Crossplane may no longer list ConfigMaps", func() error {
		if ok, _, err := crossplaneMayListConfigMaps(ctx); err != nil || ok {
			return fmt.Errorf("still allowed (%v)", err)
		}
		return nil
	})

	applyExampleClaims(t)
	xr := ""
	eventually(t, time.Minute, "claim bound to an XR", func() error {
		var err error
		xr, err = xrName(ctx)
		return err
	})
	// Crossplane reads required resources through its cache: a cache that
	// may not list ConfigMaps never syncs, and the read gives up when the
	// XR's reconcile times out (two minutes). It then reports a Warning
	// event on the XR; the XR's status update, under the same expired
	// deadline, does not land.
	var warning string
	eventually(t, 4*time.Minute, "a Warning on the XR naming the Score ConfigMap it cannot read", func() error {
		var err error
		warning, err = xrWarning(ctx, xr, "fetching resources for configmap/demo-app:")
		return err
	})
	x, err := cp.Mgmt.Get(ctx, xrKind, "", xr)
	if err != nil {
		t.Fatal(err)
	}
	c, err := claim(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("without ConfigMap access: XR event %q; XR: %s; claim: %s", warning, plane.Describe(x), plane.Describe(c))
	if plane.ConditionStatus(c, "Ready") == "True" {
		t.Errorf("claim Ready although its Score ConfigMap cannot be read: %s", plane.Describe(c))
	}
	if got, err := composed(ctx, xr); err != nil || len(got) > 0 {
		t.Errorf("composed without the Score ConfigMap: %v (%v)", names(got), err)
	}

	// The fix a user applies: the install manifest.
	if err := cp.Mgmt.Apply(ctx, readObjects(t, repo("example", "install", "04-crossplane-rbac.yaml"))...); err != nil {
		t.Fatal(err)
	}
	waitXRSynced(t, 4*time.Minute, "with 04-crossplane-rbac.yaml the XR reconciles", xr, "True")
}

// waitXRSynced waits until the XR's Synced condition has status.
func waitXRSynced(t *testing.T, timeout time.Duration, what, xr, status string) {
	t.Helper()
	eventually(t, timeout, what, func() error {
		x, err := cp.Mgmt.Get(context.Background(), xrKind, "", xr)
		if err != nil {
			return err
		}
		if plane.ConditionStatus(x, "Synced") != status {
			return fmt.Errorf("%s", plane.Describe(x))
		}
		return nil
	})
}

// forApply is a ClusterRole with its name, labels and rules, to apply.
func forApply(role *unstructured.Unstructured, rules []any) *unstructured.Unstructured {
	labels := map[string]any{}
	for k, v := range role.GetLabels() {
		labels[k] = v
	}
	return &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": role.GetAPIVersion(), "kind": role.GetKind(),
		"metadata": map[string]any{"name": role.GetName(), "labels": labels},
		"rules":    rules,
	}}
}

// withoutConfigMaps is a ClusterRole, to apply, that grants what role
// grants except ConfigMaps.
func withoutConfigMaps(role *unstructured.Unstructured) *unstructured.Unstructured {
	rules, _, _ := unstructured.NestedSlice(role.DeepCopy().Object, "rules")
	var kept []any
	for _, r := range rules {
		rm := r.(map[string]any)
		res, _, _ := unstructured.NestedStringSlice(rm, "resources")
		var others []any
		for _, x := range res {
			if x != "configmaps" {
				others = append(others, x)
			}
		}
		if len(others) > 0 {
			rm["resources"] = others
			kept = append(kept, rm)
		}
	}
	return forApply(role, kept)
}

func mustXR(t *testing.T, ctx context.Context) string {
	t.Helper()
	xr, err := xrName(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return xr
}
