package plane

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	authenticationv1 "k8s.io/api/authentication/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/kubernetes"
)

var (
	clusterRoleKind        = schema.GroupVersionKind{Group: "rbac.authorization.k8s.io", Version: "v1", Kind: "ClusterRole"}
	clusterRoleBindingKind = schema.GroupVersionKind{Group: "rbac.authorization.k8s.io", Version: "v1", Kind: "ClusterRoleBinding"}
)

// The ServiceAccounts Crossplane's chart runs its two pods as.
const (
	CrossplaneServiceAccount  = "crossplane"
	RBACManagerServiceAccount = "rbac-manager"
)

// installChartRBAC applies the RBAC of Crossplane's Helm chart at the
// tested version, as `helm install` by a cluster admin would, and waits
// until the ClusterRole Crossplane is bound to has its rules: they are
// aggregated into it by kube-controller-manager from the chart's
// crossplane:system:aggregate-to-crossplane and, later, from what the RBAC
// manager renders for each XRD and provider.
func (p *Plane) installChartRBAC(ctx context.Context) error {
	objs, err := ChartRBAC(p.xp("crossplane-chart"), crossplaneNamespace)
	if err != nil {
		return err
	}
	if err := p.Mgmt.Apply(ctx, objs...); err != nil {
		return fmt.Errorf("crossplane chart RBAC: %w", err)
	}
	return Eventually(ctx, time.Minute, func() error {
		r, err := p.Mgmt.Get(ctx, clusterRoleKind, "", "crossplane")
		if err != nil {
			return err
		}
		if rules, _, _ := unstructured.NestedSlice(r.Object, "rules"); len(rules) == 0 {
			return fmt.Errorf("ClusterRole crossplane has no rules aggregated yet")
		}
		return nil
	})
}

// Identity is a kubeconfig for the management API server that
// authenticates as ServiceAccount namespace/name, with a token the API
// server issues for it (as a projected token is in a pod), creating the
// ServiceAccount if it is missing. A program given it has exactly the RBAC
// bound to that ServiceAccount.
func (p *Plane) Identity(ctx context.Context, namespace, name string) (string, error) {
	cs, err := kubernetes.NewForConfig(p.Mgmt.Config)
	if err != nil {
		return "", err
	}
	sa := &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: namespace}}
	if _, err := cs.CoreV1().ServiceAccounts(namespace).Create(ctx, sa, metav1.CreateOptions{}); err != nil && !apierrors.IsAlreadyExists(err) {
		return "", err
	}
	day := int64(24 * time.Hour / time.Second)
	tr, err := cs.CoreV1().ServiceAccounts(namespace).CreateToken(ctx, name,
		&authenticationv1.TokenRequest{Spec: authenticationv1.TokenRequestSpec{ExpirationSeconds: &day}}, metav1.CreateOptions{})
	if err != nil {
		return "", fmt.Errorf("token for %s/%s: %w", namespace, name, err)
	}
	cfg := fmt.Sprintf(`apiVersion: v1
kind: Config
clusters:
- name: mgmt
  cluster: {server: "https://127.0.0.1:%d", certificate-authority-data: %s}
users:
- name: %[3]q
  user: {token: %[4]q}
contexts:
- name: mgmt
  context: {cluster: mgmt, user: %[3]q}
current-context: mgmt
`, mgmtPort, b64(p.pki.kube.pem), "system:serviceaccount:"+namespace+":"+name, tr.Status.Token)
	path := filepath.Join(p.opts.Dir, "identity-"+namespace+"-"+name+".kubeconfig")
	return path, os.WriteFile(path, []byte(cfg), 0o600)
}

// startRBACManager runs `crossplane rbac init` and `rbac start` as the
// chart's rbac-manager Deployment does, with its identity. Like every
// controller-runtime manager it serves metrics on :8080 and cannot be told
// otherwise, as provider-kubernetes cannot: it runs in a network namespace
// of its own (see startIsolated).
func (p *Plane) startRBACManager(ctx context.Context) error {
	kubeconfig, err := p.Identity(ctx, crossplaneNamespace, RBACManagerServiceAccount)
	if err != nil {
		return err
	}
	return p.startIsolated(ctx, "rbac-manager", p.xp("crossplane"), []string{"KUBECONFIG=" + kubeconfig},
		`"$0" rbac init && exec "$0" "$@"`,
		"rbac", "start", "--provider-clusterrole=crossplane:allowed-provider-permissions", "--debug")
}

// runAsRevision is the part of Crossplane's Deployment runtime that gives
// an active ProviderRevision's provider its identity: a ServiceAccount
// named after the revision and a Deployment that runs as it, both
// controlled by the revision (internal/controller/pkg/runtime at the tested
// version). The RBAC manager binds the revision's
// crossplane:provider:<revision>:system ClusterRole to the ServiceAccount
// of every Deployment the revision controls. No pod runs (the Deployment
// has no replicas, and the management API server has no nodes): the test
// runs the provider itself, with ProviderIdentity.
func (p *Plane) runAsRevision(ctx context.Context, rev *unstructured.Unstructured) error {
	owner := []any{map[string]any{
		"apiVersion": rev.GetAPIVersion(), "kind": rev.GetKind(), "name": rev.GetName(), "uid": string(rev.GetUID()),
		"controller": true, "blockOwnerDeletion": true,
	}}
	meta := func() map[string]any {
		return map[string]any{"name": rev.GetName(), "namespace": crossplaneNamespace, "ownerReferences": owner}
	}
	labels := map[string]any{"pkg.crossplane.io/revision": rev.GetName()}
	sa := &unstructured.Unstructured{Object: map[string]any{"apiVersion": "v1", "kind": "ServiceAccount", "metadata": meta()}}
	d := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "apps/v1", "kind": "Deployment", "metadata": meta(),
		"spec": map[string]any{
			"replicas": int64(0),
			"selector": map[string]any{"matchLabels": labels},
			"template": map[string]any{
				"metadata": map[string]any{"labels": labels},
				"spec": map[string]any{
					"serviceAccountName": rev.GetName(),
					"containers":         []any{map[string]any{"name": "package-runtime", "image": "runs-outside-the-cluster"}},
				},
			},
		},
	}}
	return p.Mgmt.Apply(ctx, sa, d)
}

// ProviderIdentity is a kubeconfig for a provider installed as a package:
// the ServiceAccount of its active revision, once the RBAC manager has
// rendered the revision's :system ClusterRole and bound it to that
// ServiceAccount (it may bind before it renders). provider is the Provider's
// name (the revision's pkg.crossplane.io/package label).
func (p *Plane) ProviderIdentity(ctx context.Context, provider string) (string, error) {
	var rev string
	err := Eventually(ctx, 2*time.Minute, func() error {
		var err error
		if rev, err = p.activeProviderRevision(ctx, provider); err != nil {
			return err
		}
		role := "crossplane:provider:" + rev + ":system"
		r, err := p.Mgmt.Get(ctx, clusterRoleKind, "", role)
		if err != nil {
			return fmt.Errorf("the RBAC manager has not rendered %s: %w", role, err)
		}
		if rules, _, _ := unstructured.NestedSlice(r.Object, "rules"); len(rules) == 0 {
			return fmt.Errorf("%s grants nothing yet", role)
		}
		b, err := p.Mgmt.Get(ctx, clusterRoleBindingKind, "", role)
		if err != nil {
			return fmt.Errorf("the RBAC manager has not bound %s: %w", role, err)
		}
		subjects, _, _ := unstructured.NestedSlice(b.Object, "subjects")
		for _, s := range subjects {
			if sm, _ := s.(map[string]any); sm["name"] == rev && sm["namespace"] == crossplaneNamespace {
				return nil
			}
		}
		return fmt.Errorf("%s binds %v, not ServiceAccount %s/%s", b.GetName(), subjects, crossplaneNamespace, rev)
	})
	if err != nil {
		return "", err
	}
	return p.Identity(ctx, crossplaneNamespace, rev)
}

func (p *Plane) activeProviderRevision(ctx context.Context, provider string) (string, error) {
	revs, err := p.Mgmt.List(ctx, providerRevisionKind, "", "pkg.crossplane.io/package="+provider)
	if err != nil {
		return "", err
	}
	for i := range revs {
		if state, _, _ := unstructured.NestedString(revs[i].Object, "spec", "desiredState"); state == "Active" {
			return revs[i].GetName(), nil
		}
	}
	return "", fmt.Errorf("no active ProviderRevision of %s among %d", provider, len(revs))
}
