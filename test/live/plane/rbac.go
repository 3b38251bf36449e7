package plane

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"

	authenticationv1 "k8s.io/api/authentication/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/client-go/kubernetes"
)

// The ServiceAccounts Crossplane's chart runs its two pods as, and the one
// a provider package's Deployment runs as (the package's name).
const (
	CrossplaneServiceAccount  = "crossplane"
	RBACManagerServiceAccount = "rbac-manager"
	ProviderKubernetes        = "provider-kubernetes"
)

// installChartRBAC applies the RBAC of Crossplane's Helm chart at the
// tested version, as `helm install` by a cluster admin would, and waits
// until the ClusterRole Crossplane is bound to has its rules: they are
// aggregated into it by kube-controller-manager from the chart's
// crossplane:system:aggregate-to-crossplane and, later, from what the RBAC
// manager renders for each XRD and provider.
func (p *Plane) installChartRBAC(ctx context.Context) error {
	objs, err := ChartRBAC(p.bin("crossplane-chart"), crossplaneNamespace)
	if err != nil {
		return err
	}
	if err := p.Mgmt.Apply(ctx, objs...); err != nil {
		return fmt.Errorf("Crossplane's chart RBAC: %w", err)
	}
	return Eventually(ctx, time.Minute, func() error {
		r, err := p.Mgmt.Get(ctx, gvkClusterRole, "", "crossplane")
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
// bound to that ServiceAccount. provider-helm, once real, gets its
// identity here too:
//
//	kubeconfig, err := p.Identity(ctx, "crossplane-system", "provider-helm")
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
	return p.startIsolated(ctx, "rbac-manager", p.bin("crossplane"), []string{"KUBECONFIG=" + kubeconfig},
		`"$0" rbac init && exec "$0" "$@"`,
		"rbac", "start", "--provider-clusterrole=crossplane:allowed-provider-permissions", "--debug")
}

// GrantProvider stands in for what Crossplane's RBAC manager does for a
// provider's ProviderRevision, for a provider whose CRDs the plane installs
// directly rather than through the package manager (so there is no
// ProviderRevision to render roles for). It applies the ClusterRoles
// the RBAC manager renders at the tested version
// (internal/controller/rbac/provider/roles): ":aggregate-to-edit" (full
// access to every kind, aggregated into Crossplane's own role and
// crossplane-admin/edit), ":aggregate-to-view", and ":system" (the
// provider's own kinds, Secrets, ConfigMaps, Events and Leases; CRDs to
// read with the SafeStart capability), the last bound to ServiceAccount
// crossplane-system/serviceAccount as the RBAC manager binds it to the
// ServiceAccount of the revision's Deployment ("" for no binding: a
// provider the plane simulates). Once a provider is installed as a
// package, the RBAC manager renders these itself and this goes.
func (p *Plane) GrantProvider(ctx context.Context, provider, serviceAccount string, safeStart bool, crds ...*unstructured.Unstructured) error {
	resources := map[string][]any{}
	for _, c := range crds {
		group, _, _ := unstructured.NestedString(c.Object, "spec", "group")
		plural, _, _ := unstructured.NestedString(c.Object, "spec", "names", "plural")
		resources[group] = append(resources[group], plural, plural+"/status")
	}
	groups := make([]string, 0, len(resources))
	for g := range resources {
		groups = append(groups, g)
	}
	sort.Strings(groups)
	rules := func(verbs ...any) []any {
		var out []any
		for _, g := range groups {
			out = append(out, map[string]any{"apiGroups": []any{g}, "resources": resources[g], "verbs": verbs})
		}
		return out
	}
	anyGroups := make([]any, len(groups))
	for i, g := range groups {
		anyGroups[i] = g
	}
	system := append(rules("get", "list", "watch", "update", "patch", "create"),
		map[string]any{"apiGroups": anyGroups, "resources": []any{"*/finalizers"}, "verbs": []any{"update"}},
		map[string]any{"apiGroups": []any{"", "coordination.k8s.io"}, "resources": []any{"secrets", "configmaps", "events", "leases"}, "verbs": []any{"*"}})
	if safeStart {
		system = append(system, map[string]any{"apiGroups": []any{"apiextensions.k8s.io"}, "resources": []any{"customresourcedefinitions"}, "verbs": []any{"get", "list", "watch"}})
	}
	name := "crossplane:provider:" + provider
	objs := []*unstructured.Unstructured{
		clusterRole(name+":aggregate-to-edit", map[string]any{
			"rbac.crossplane.io/aggregate-to-crossplane": "true", "rbac.crossplane.io/aggregate-to-admin": "true", "rbac.crossplane.io/aggregate-to-edit": "true",
		}, rules("*")),
		clusterRole(name+":aggregate-to-view", map[string]any{"rbac.crossplane.io/aggregate-to-view": "true"}, rules("get", "list", "watch")),
		clusterRole(name+":system", map[string]any{"rbac.crossplane.io/system": provider}, system),
	}
	if serviceAccount != "" {
		objs = append(objs, &unstructured.Unstructured{Object: map[string]any{
			"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
			"metadata": map[string]any{"name": name + ":system"},
			"roleRef":  map[string]any{"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": name + ":system"},
			"subjects": []any{map[string]any{"kind": "ServiceAccount", "name": serviceAccount, "namespace": crossplaneNamespace}},
		}})
	}
	return p.Mgmt.Apply(ctx, objs...)
}

func clusterRole(name string, labels map[string]any, rules []any) *unstructured.Unstructured {
	return &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
		"metadata": map[string]any{"name": name, "labels": labels},
		"rules":    rules,
	}}
}

// RunAsRevision does, for a ProviderRevision installed through the package
// manager, the part of a package runtime that gives the provider its
// identity: a Deployment controlled by the revision that runs as
// ServiceAccount crossplane-system/serviceAccount. The RBAC manager binds
// the revision's ":system" ClusterRole to the ServiceAccount of every
// Deployment a revision controls; nothing runs the Deployment (the
// management API server has no nodes), the test runs the provider with
// Identity(ctx, "crossplane-system", serviceAccount). Then GrantProvider is
// not needed for that provider. (Not used yet: providers are installed by
// CRD here until they are installed as packages.)
func (p *Plane) RunAsRevision(ctx context.Context, rev *unstructured.Unstructured, serviceAccount string) error {
	labels := map[string]any{"pkg.crossplane.io/revision": rev.GetName()}
	d := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "apps/v1", "kind": "Deployment",
		"metadata": map[string]any{
			"name": rev.GetName(), "namespace": crossplaneNamespace,
			"ownerReferences": []any{map[string]any{
				"apiVersion": rev.GetAPIVersion(), "kind": rev.GetKind(), "name": rev.GetName(), "uid": string(rev.GetUID()),
				"controller": true, "blockOwnerDeletion": true,
			}},
		},
		"spec": map[string]any{
			"replicas": int64(0),
			"selector": map[string]any{"matchLabels": labels},
			"template": map[string]any{
				"metadata": map[string]any{"labels": labels},
				"spec": map[string]any{
					"serviceAccountName": serviceAccount,
					"containers":         []any{map[string]any{"name": "package-runtime", "image": "runs-outside-the-cluster"}},
				},
			},
		},
	}}
	return p.Mgmt.Apply(ctx, d)
}
