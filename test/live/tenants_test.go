package live

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	networkingv1 "k8s.io/api/networking/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/rest"

	"github.com/platformcluster/function-platform-cluster/fn/tenant"
	"github.com/platformcluster/function-platform-cluster/test/live/plane"
)

var (
	tenantClaimKind = gvk("platform.fpc.dev", "v1alpha1", "PlatformTenant")
	quotaKind       = gvk("", "v1", "ResourceQuota")
	limitRangeKind  = gvk("", "v1", "LimitRange")
	netpolKind      = gvk("networking.k8s.io", "v1", "NetworkPolicy")
	roleBindingKind = gvk("rbac.authorization.k8s.io", "v1", "RoleBinding")
	sarKind         = gvk("authorization.k8s.io", "v1", "SubjectAccessReview")
)

// liveTenant is one tenant of the walk: its claim, its namespaces and the
// subjects it grants a role to.
type liveTenant struct {
	ns, name   string
	namespaces []string
	// subjects are a member of each group the tenant grants a role, and
	// each user, with the role.
	subjects []subject
}

type subject struct {
	user   string
	groups []string
	role   string
}

var (
	// teamB is example/claims/team-b-platformtenant.yaml, applied unchanged.
	teamB = liveTenant{ns: "team-b", name: "team-b", namespaces: []string{"team-b", "team-b-jobs"}, subjects: []subject{
		{user: "bea", groups: []string{"team-b-developers"}, role: "edit"},
		{user: "auditor@example.com", role: "view"},
	}}
	// teamC is the example tenant renamed, with one namespace and admin for
	// its developers.
	teamC = liveTenant{ns: "team-c", name: "team-c", namespaces: []string{"team-c"}, subjects: []subject{
		{user: "cai", groups: []string{"team-c-developers"}, role: "admin"},
	}}
	// platformNamespaces are some of the platform's own, on its cluster.
	platformNamespaces = []string{"default", "kube-system", "nginx-gateway", "observability", "cert-manager"}
)

// tenantsShareThePlatform puts two tenants on the example platform once it
// is Ready, and a third that asks for the first's namespace; shows with the
// workload API server's own authorization and admission what each tenant
// may do; deletes one tenant; and deletes the platform while the other is
// still on it, which the tenant's ClusterUsages hold. deleteEverything
// (step 6) deletes that last tenant once it has taken its snapshots and
// started watching deletions, so the platform's teardown starts under its
// eyes.
func tenantsShareThePlatform(t *testing.T) {
	ctx := ctxFor(t)
	t0 := time.Now()
	defer func() { t.Logf("tenant walk: %s", time.Since(t0).Round(100*time.Millisecond)) }()
	waitConditions(t, time.Minute, "tenant XRD established and offered", func() (*unstructured.Unstructured, error) {
		return cp.Mgmt.Get(ctx, xrdKind, "", "xplatformtenants.platform.fpc.dev")
	}, "Established", "Offered")
	if _, err := cp.Mgmt.Get(ctx, compositionKind, "", "xplatformtenants.platform.fpc.dev"); err != nil {
		t.Fatalf("the Configuration's tenant Composition: %v", err)
	}
	platformXR, err := xrName(ctx)
	if err != nil {
		t.Fatal(err)
	}
	applyTenants(t)
	eventually(t, 2*time.Minute, "team-b holds its namespace", func() error {
		_, err := cp.Mgmt.Get(ctx, object, "", tenant.NamespaceObjectName(platformXR, "team-b"))
		return err
	})
	// Only now: two tenants racing for one namespace are settled by the API
	// server, and the walk needs team-b to be the winner.
	applyRival(t)
	waitTenantsReady(t, teamB, teamC)
	assertRivalRefused(t)
	assertTenantObjects(t, teamB, teamC)
	assertAuthorization(t, teamB, teamC)
	assertQuota(t, teamB)
	assertNetworkPolicies(t, teamB, teamC)
	assertTenantHostsPublished(t, platformXR, teamB, teamC)
	badTenantInputKeepsWhatExists(t, teamB)
	deleteOneTenant(t, teamC, teamB)
	eventually(t, 2*time.Minute, "tenant team-c's host no longer published", func() error {
		return assertHostGone(ctx, platformXR, webHost(teamC))
	})
	platformHeldByTenant(t, teamB)
}

// webHost is the route host of a tenant's web workload.
func webHost(lt liveTenant) string { return "web." + lt.name + "." + platformDomain }

// assertTenantHostsPublished: the platform publishes each tenant's route
// host as it does its own workloads': an A record at the Gateway's
// address, a certificate valid for the host, an HTTPS listener terminating
// TLS with it; the tenant's route attaches to that listener and its claim
// lists an https URL.
func assertTenantHostsPublished(t *testing.T, platformXR string, tenants ...liveTenant) {
	t.Helper()
	ctx := ctxFor(t)
	eventually(t, 4*time.Minute, "the tenants' hosts published by the platform", func() error {
		c, err := claim(ctx)
		if err != nil {
			return err
		}
		address, _, _ := unstructured.NestedString(c.Object, "status", "gateway", "address")
		got, err := composed(ctx, platformXR)
		if err != nil {
			return err
		}
		for _, lt := range tenants {
			if err := hostPublished(ctx, got, lt, address); err != nil {
				return err
			}
		}
		return nil
	})
}

// hostPublished checks one tenant's web host, returning what is missing.
func hostPublished(ctx context.Context, got map[string]*unstructured.Unstructured, lt liveTenant, address string) error {
	host := webHost(lt)
	var record bool
	for _, r := range ofKind(got, "Record") {
		fp, _, _ := unstructured.NestedMap(r.Object, "spec", "forProvider")
		record = record || (fp["name"] == strings.TrimSuffix(host, "."+platformDomain) && fp["target"] == address && plane.ConditionStatus(r, "Ready") == "True")
	}
	if !record {
		return fmt.Errorf("no Ready A record for %s at %s", host, address)
	}
	var secret string
	for o, m := range composedManifests(got, "Certificate") {
		names, _, _ := unstructured.NestedStringSlice(m.Object, "spec", "dnsNames")
		if len(names) == 1 && names[0] == host && plane.ConditionStatus(got[o], "Ready") == "True" {
			secret, _, _ = unstructured.NestedString(m.Object, "spec", "secretName")
		}
	}
	if secret == "" {
		return fmt.Errorf("no Ready Certificate for %s", host)
	}
	if err := servesCertificateFor(ctx, secret, host); err != nil {
		return err
	}
	gw, err := cp.Workload.Get(ctx, gatewayKind, gatewayNS, gatewayName)
	if err != nil {
		return err
	}
	var listener string
	ls, _, _ := unstructured.NestedSlice(gw.Object, "spec", "listeners")
	for _, l := range ls {
		l := l.(map[string]any)
		refs, _, _ := unstructured.NestedSlice(l, "tls", "certificateRefs")
		if l["hostname"] == host && l["protocol"] == "HTTPS" && len(refs) == 1 && refs[0].(map[string]any)["name"] == secret {
			listener, _ = l["name"].(string)
		}
	}
	if listener == "" {
		return fmt.Errorf("the Gateway has no HTTPS listener for %s with Secret %s", host, secret)
	}
	route, err := cp.Workload.Get(ctx, routeKind, lt.namespaces[0], "web-route")
	if err != nil {
		return err
	}
	if !attachedTo(route, listener) {
		return fmt.Errorf("tenant %s's route is not attached to %s: %v", lt.name, listener, route.Object["spec"])
	}
	tc, err := tenantClaim(ctx, lt)
	if err != nil {
		return err
	}
	wls, _, _ := unstructured.NestedSlice(tc.Object, "status", "workloads")
	if len(wls) != 1 || wls[0].(map[string]any)["url"] != "https://"+host+"/" {
		return fmt.Errorf("tenant %s status.workloads %v, want https://%s/", lt.name, wls, host)
	}
	return nil
}

// applyTenants applies the example tenant unchanged and a second one made
// from it.
func applyTenants(t *testing.T) {
	t.Helper()
	ctx := ctxFor(t)
	objs := readObjects(t, repo("example", "claims", "team-b-namespace.yaml"), repo("example", "claims", "team-b-platformtenant.yaml"))
	if err := cp.Mgmt.Apply(ctx, objs...); err != nil {
		t.Fatalf("the example tenant is not admitted: %v", err)
	}
	if err := cp.Mgmt.Apply(ctx, namespaceObject("team-c")); err != nil {
		t.Fatal(err)
	}
	if err := cp.Mgmt.Apply(ctx, tenantFromExample(t, "team-c", "team-c", func(spec map[string]any) {
		spec["namespaces"] = []any{"team-c"}
		spec["access"] = []any{map[string]any{"kind": "Group", "name": "team-c-developers", "role": "admin"}}
	})); err != nil {
		t.Fatalf("tenant team-c is not admitted: %v", err)
	}
}

// applyRival applies a tenant in team-c's claim namespace that asks for
// team-b's namespace.
func applyRival(t *testing.T) {
	t.Helper()
	rival := tenantFromExample(t, "team-c", "rival", func(spec map[string]any) {
		spec["namespaces"] = []any{"team-b"}
		delete(spec, "workloads")
	})
	if err := cp.Mgmt.Apply(ctxFor(t), rival); err != nil {
		t.Fatalf("tenant rival is not admitted: %v", err)
	}
}

// tenantFromExample is the example tenant claim renamed (every "team-b" in
// it becomes name) in namespace ns, then edited.
func tenantFromExample(t *testing.T, ns, name string, edit func(spec map[string]any)) *unstructured.Unstructured {
	t.Helper()
	for _, o := range readObjects(t, repo("example", "claims", "team-b-platformtenant.yaml")) {
		if o.GetKind() != "PlatformTenant" {
			continue
		}
		data, err := o.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		c := &unstructured.Unstructured{}
		if err := c.UnmarshalJSON([]byte(strings.ReplaceAll(string(data), "team-b", name))); err != nil {
			t.Fatal(err)
		}
		c.SetNamespace(ns)
		spec, _, _ := unstructured.NestedMap(c.Object, "spec")
		edit(spec)
		_ = unstructured.SetNestedMap(c.Object, spec, "spec")
		return c
	}
	t.Fatal("example/claims has no PlatformTenant")
	return nil
}

func namespaceObject(name string) *unstructured.Unstructured {
	return &unstructured.Unstructured{Object: map[string]any{"apiVersion": "v1", "kind": "Namespace", "metadata": map[string]any{"name": name}}}
}

func tenantClaim(ctx context.Context, lt liveTenant) (*unstructured.Unstructured, error) {
	return cp.Mgmt.Get(ctx, tenantClaimKind, lt.ns, lt.name)
}

// waitTenantsReady waits for each tenant's claim to be Ready with every
// condition, and checks its status.
func waitTenantsReady(t *testing.T, tenants ...liveTenant) {
	t.Helper()
	ctx := ctxFor(t)
	for _, lt := range tenants {
		waitConditions(t, 4*time.Minute, "tenant "+lt.name+" Ready", func() (*unstructured.Unstructured, error) { return tenantClaim(ctx, lt) },
			"SpecValid", "ClusterReady", "NamespacesReady", "WorkloadsReady", "Synced", "Ready")
		c, err := tenantClaim(ctx, lt)
		if err != nil {
			t.Fatal(err)
		}
		nss, _, _ := unstructured.NestedSlice(c.Object, "status", "namespaces")
		if len(nss) != len(lt.namespaces) {
			t.Errorf("tenant %s status.namespaces = %v, want %v", lt.name, nss, lt.namespaces)
		}
		for _, n := range nss {
			if hard, _, _ := unstructured.NestedMap(n.(map[string]any), "quota", "hard"); hard["services.loadbalancers"] != "0" {
				t.Errorf("tenant %s status.namespaces[].quota: %v, want the quota's hard limits as the cluster reports them", lt.name, n)
			}
		}
		if h, _, _ := unstructured.NestedString(c.Object, "status", "host"); h != lt.name+"."+platformDomain {
			t.Errorf("tenant %s status.host = %q, want %s.%s", lt.name, h, lt.name, platformDomain)
		}
		wls, _, _ := unstructured.NestedSlice(c.Object, "status", "workloads")
		if len(wls) != 1 || wls[0].(map[string]any)["ready"] != true {
			t.Errorf("tenant %s status.workloads = %v, want web ready", lt.name, wls)
		}
	}
}

// assertRivalRefused: a tenant asking for another's namespace gets a Fatal
// naming the field and the owner, and takes nothing.
func assertRivalRefused(t *testing.T) {
	t.Helper()
	ctx := ctxFor(t)
	rival := liveTenant{ns: "team-c", name: "rival"}
	eventually(t, 2*time.Minute, "tenant rival refused team-b's namespace", func() error {
		c, err := tenantClaim(ctx, rival)
		if err != nil {
			return err
		}
		msg, _ := plane.Condition(c, "SpecValid")["message"].(string)
		if plane.ConditionStatus(c, "SpecValid") != "False" || !strings.Contains(msg, "spec.namespaces[0]: Forbidden: namespace team-b on PlatformCluster team-a/demo belongs to PlatformTenant team-b/team-b") {
			return fmt.Errorf("%s", plane.Describe(c))
		}
		return nil
	})
	if err := cp.Mgmt.Delete(ctx, tenantClaimKind, rival.ns, rival.name); err != nil {
		t.Fatal(err)
	}
	eventually(t, 2*time.Minute, "tenant rival gone", func() error {
		if _, err := tenantClaim(ctx, rival); !apierrors.IsNotFound(err) {
			return fmt.Errorf("claim still there (%v)", err)
		}
		return nil
	})
	platformXR, _ := xrName(ctx)
	o, err := cp.Mgmt.Get(ctx, object, "", tenant.NamespaceObjectName(platformXR, "team-b"))
	if err != nil {
		t.Fatalf("team-b's namespace Object after the rival: %v", err)
	}
	if c, _ := tenantClaim(ctx, teamB); c != nil && o.GetLabels()[compositeLabel] != xrOf(c) {
		t.Errorf("team-b's namespace Object is now %s's", o.GetLabels()[compositeLabel])
	}
}

const compositeLabel = "crossplane.io/composite"

func xrOf(claim *unstructured.Unstructured) string {
	n, _, _ := unstructured.NestedString(claim.Object, "spec", "resourceRef", "name")
	return n
}

// assertTenantObjects checks what each tenant has on the workload cluster.
func assertTenantObjects(t *testing.T, tenants ...liveTenant) {
	t.Helper()
	ctx := ctxFor(t)
	for _, lt := range tenants {
		for _, ns := range lt.namespaces {
			n, err := cp.Workload.Get(ctx, namespaceKind, "", ns)
			if err != nil {
				t.Errorf("tenant %s: %v", lt.name, err)
				continue
			}
			l := n.GetLabels()
			if l["pod-security.kubernetes.io/enforce"] != "restricted" || l[tenant.LabelTenant] != lt.ns+"."+lt.name {
				t.Errorf("namespace %s labels %v: want Pod Security restricted and tenant %s.%s", ns, l, lt.ns, lt.name)
			}
			for _, w := range []struct {
				kind schema.GroupVersionKind
				name string
			}{{quotaKind, "tenant-quota"}, {limitRangeKind, "tenant-limits"}, {netpolKind, "deny-all"}} {
				if _, err := cp.Workload.Get(ctx, w.kind, ns, w.name); err != nil {
					t.Errorf("tenant %s: %s %s/%s: %v", lt.name, w.kind.Kind, ns, w.name, err)
				}
			}
		}
		if _, err := cp.Workload.Get(ctx, deploymentKind, lt.namespaces[0], "web"); err != nil {
			t.Errorf("tenant %s's workload: %v", lt.name, err)
		}
	}
}

// assertAuthorization asks the workload API server, with
// SubjectAccessReviews, what each tenant's subjects may do: their role in
// their own namespaces, nothing in another tenant's or the platform's.
func assertAuthorization(t *testing.T, tenants ...liveTenant) {
	t.Helper()
	ctx := ctxFor(t)
	writes := map[string]bool{"admin": true, "edit": true}
	for _, lt := range tenants {
		for _, s := range lt.subjects {
			for _, other := range tenants {
				for _, ns := range other.namespaces {
					own := other.name == lt.name
					assertAllowed(ctx, t, s, "get", "deployments", ns, own)
					assertAllowed(ctx, t, s, "create", "deployments", ns, own && writes[s.role])
					assertAllowed(ctx, t, s, "create", "rolebindings", ns, own && s.role == "admin")
					// No role of a tenant may change its quota or limits.
					assertAllowed(ctx, t, s, "update", "resourcequotas", ns, false)
					assertAllowed(ctx, t, s, "delete", "limitranges", ns, false)
				}
			}
			for _, ns := range platformNamespaces {
				assertAllowed(ctx, t, s, "get", "secrets", ns, false)
				assertAllowed(ctx, t, s, "create", "deployments", ns, false)
			}
			assertAllowed(ctx, t, s, "create", "namespaces", "", false)
		}
	}
	// The same through a real request: the first subject of the first
	// tenant creates a Deployment (dry run) in its namespace, and is
	// refused one in the next tenant's.
	s := tenants[0].subjects[0]
	d := deploymentFor("probe")
	if err := dryRunAs(ctx, s, deploymentGVR, tenants[0].namespaces[0], d); err != nil {
		t.Errorf("%s cannot create a Deployment in its own namespace %s: %v", s.user, tenants[0].namespaces[0], err)
	}
	if err := dryRunAs(ctx, s, deploymentGVR, tenants[1].namespaces[0], d); !apierrors.IsForbidden(err) {
		t.Errorf("%s creating a Deployment in %s: got %v, want Forbidden", s.user, tenants[1].namespaces[0], err)
	}
}

// assertAllowed fails unless the workload API server's authorizer answers
// want for s doing verb on resource in ns ("" for cluster scope).
func assertAllowed(ctx context.Context, t *testing.T, s subject, verb, resource, ns string, want bool) {
	t.Helper()
	group := map[string]string{"deployments": "apps", "rolebindings": "rbac.authorization.k8s.io"}[resource]
	sar := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "authorization.k8s.io/v1", "kind": "SubjectAccessReview",
		"spec": map[string]any{
			"user": s.user, "groups": anySlice(append([]string{"system:authenticated"}, s.groups...)),
			"resourceAttributes": map[string]any{"verb": verb, "group": group, "resource": resource, "namespace": ns},
		},
	}}
	r, err := cp.Workload.Resource(sarKind, "")
	if err != nil {
		t.Fatal(err)
	}
	got, err := r.Create(ctx, sar, metav1.CreateOptions{})
	if err != nil {
		t.Fatalf("SubjectAccessReview: %v", err)
	}
	allowed, _, _ := unstructured.NestedBool(got.Object, "status", "allowed")
	if allowed != want {
		reason, _, _ := unstructured.NestedString(got.Object, "status", "reason")
		t.Errorf("%s (%s, groups %v) %s %s in namespace %q: allowed %v, want %v (%s)", s.user, s.role, s.groups, verb, resource, ns, allowed, want, reason)
	}
}

var (
	deploymentGVR = schema.GroupVersionResource{Group: "apps", Version: "v1", Resource: "deployments"}
	serviceGVR    = schema.GroupVersionResource{Version: "v1", Resource: "services"}
	pvcGVR        = schema.GroupVersionResource{Version: "v1", Resource: "persistentvolumeclaims"}
)

// dryRunAs creates obj in ns as s would, without persisting it: the API
// server authenticates the impersonated subject, authorizes and admits.
func dryRunAs(ctx context.Context, s subject, gvr schema.GroupVersionResource, ns string, obj map[string]any) error {
	cfg := rest.CopyConfig(cp.Workload.Config)
	cfg.Impersonate = rest.ImpersonationConfig{UserName: s.user, Groups: s.groups}
	dyn, err := dynamic.NewForConfig(cfg)
	if err != nil {
		return err
	}
	_, err = dyn.Resource(gvr).Namespace(ns).Create(ctx, &unstructured.Unstructured{Object: obj}, metav1.CreateOptions{DryRun: []string{metav1.DryRunAll}})
	return err
}

func deploymentFor(name string) map[string]any {
	sel := map[string]any{"app": name}
	return map[string]any{
		"apiVersion": "apps/v1", "kind": "Deployment", "metadata": map[string]any{"name": name},
		"spec": map[string]any{
			"selector": map[string]any{"matchLabels": sel},
			"template": map[string]any{"metadata": map[string]any{"labels": sel}, "spec": map[string]any{
				"containers": []any{map[string]any{"name": "main", "image": "nginxinc/nginx-unprivileged:1.27"}},
			}},
		},
	}
}

// assertQuota: the tenant's own subject, within its role, is refused what
// its namespace's quota does not admit, and admitted what it does.
func assertQuota(t *testing.T, lt liveTenant) {
	t.Helper()
	ctx := ctxFor(t)
	s, ns := lt.subjects[0], lt.namespaces[0]
	pvc := func(size string) map[string]any {
		return map[string]any{"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": map[string]any{"name": "data"},
			"spec": map[string]any{"accessModes": []any{"ReadWriteOnce"}, "resources": map[string]any{"requests": map[string]any{"storage": size}}}}
	}
	lb := map[string]any{"apiVersion": "v1", "kind": "Service", "metadata": map[string]any{"name": "public"},
		"spec": map[string]any{"type": "LoadBalancer", "selector": map[string]any{"app": "web"}, "ports": []any{map[string]any{"port": int64(80)}}}}
	if err := dryRunAs(ctx, s, pvcGVR, ns, pvc("1Gi")); err != nil {
		t.Errorf("a 1Gi volume claim within %s's quota is refused: %v", ns, err)
	}
	for what, c := range map[string]struct {
		gvr  schema.GroupVersionResource
		obj  map[string]any
		over string
	}{
		"a 100Gi volume claim (quota 20Gi)": {pvcGVR, pvc("100Gi"), "requests.storage"},
		"a LoadBalancer Service (quota 0)":  {serviceGVR, lb, "services.loadbalancers"},
	} {
		err := dryRunAs(ctx, s, c.gvr, ns, c.obj)
		if !apierrors.IsForbidden(err) || !strings.Contains(err.Error(), "exceeded quota: tenant-quota") || !strings.Contains(err.Error(), c.over) {
			t.Errorf("%s in %s: got %v, want refused by the quota on %s", what, ns, err, c.over)
			continue
		}
		t.Logf("%s in %s: %v", what, ns, err)
	}
}

// assertNetworkPolicies evaluates each tenant's NetworkPolicies' selectors
// against the namespaces on the workload cluster: every pod of a tenant's
// namespace is selected, denied in and out, and allowed DNS to kube-system,
// traffic with exactly the tenant's own namespaces and ingress from exactly
// the Gateway's namespace.
func assertNetworkPolicies(t *testing.T, tenants ...liveTenant) {
	t.Helper()
	ctx := ctxFor(t)
	nsList, err := cp.Workload.List(ctx, namespaceKind, "", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, lt := range tenants {
		own := slices.Sorted(slices.Values(lt.namespaces))
		for _, ns := range lt.namespaces {
			items, err := cp.Workload.List(ctx, netpolKind, ns, "")
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]networkingv1.NetworkPolicy{}
			for _, u := range items {
				var np networkingv1.NetworkPolicy
				if err := runtime.DefaultUnstructuredConverter.FromUnstructured(u.Object, &np); err != nil {
					t.Fatal(err)
				}
				got[np.Name] = np
				if len(np.Spec.PodSelector.MatchLabels)+len(np.Spec.PodSelector.MatchExpressions) != 0 {
					t.Errorf("%s/%s selects only some pods: %v", ns, np.Name, np.Spec.PodSelector)
				}
			}
			deny := got["deny-all"]
			if !slices.Equal(policyTypes(deny), []string{"Egress", "Ingress"}) || len(deny.Spec.Ingress)+len(deny.Spec.Egress) != 0 {
				t.Errorf("%s/deny-all does not deny all in and out: %+v", ns, deny.Spec)
			}
			for _, c := range []struct {
				policy, dir string
				want        []string
			}{
				{"allow-tenant", "from", own}, {"allow-tenant", "to", own},
				{"allow-gateway", "from", []string{"nginx-gateway"}},
				{"allow-dns", "to", []string{"kube-system"}},
			} {
				if sel := peerNamespaces(t, got[c.policy], c.dir, nsList); !slices.Equal(sel, c.want) {
					t.Errorf("%s/%s %s selects namespaces %v, want %v", ns, c.policy, c.dir, sel, c.want)
				}
			}
		}
	}
}

func policyTypes(np networkingv1.NetworkPolicy) []string {
	var out []string
	for _, p := range np.Spec.PolicyTypes {
		out = append(out, string(p))
	}
	sort.Strings(out)
	return out
}

// peerNamespaces are the namespaces among nsList that a policy's ingress
// "from" or egress "to" peers select.
func peerNamespaces(t *testing.T, np networkingv1.NetworkPolicy, dir string, nsList []unstructured.Unstructured) []string {
	t.Helper()
	var peers []networkingv1.NetworkPolicyPeer
	for _, r := range np.Spec.Ingress {
		if dir == "from" {
			peers = append(peers, r.From...)
		}
	}
	for _, r := range np.Spec.Egress {
		if dir == "to" {
			peers = append(peers, r.To...)
		}
	}
	seen := map[string]bool{}
	for _, p := range peers {
		if p.NamespaceSelector == nil {
			continue
		}
		sel, err := metav1.LabelSelectorAsSelector(p.NamespaceSelector)
		if err != nil {
			t.Fatalf("%s: %v", np.Name, err)
		}
		for _, n := range nsList {
			if sel.Matches(labels.Set(n.GetLabels())) {
				seen[n.GetName()] = true
			}
		}
	}
	out := make([]string, 0, len(seen))
	for n := range seen {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// deleteOneTenant deletes gone and checks that nothing of stays changed:
// the same objects (UIDs) at the same generation, and its claim Ready.
func deleteOneTenant(t *testing.T, gone, stays liveTenant) {
	t.Helper()
	ctx := ctxFor(t)
	before := tenantFootprint(t, stays)
	if err := cp.Mgmt.Delete(ctx, tenantClaimKind, gone.ns, gone.name); err != nil {
		t.Fatal(err)
	}
	eventually(t, 3*time.Minute, "tenant "+gone.name+" and its namespaces gone", func() error {
		if _, err := tenantClaim(ctx, gone); !apierrors.IsNotFound(err) {
			return fmt.Errorf("claim still there (%v)", err)
		}
		for _, ns := range gone.namespaces {
			if _, err := cp.Workload.Get(ctx, namespaceKind, "", ns); !apierrors.IsNotFound(err) {
				return fmt.Errorf("namespace %s still on the workload cluster (%v)", ns, err)
			}
		}
		return nil
	})
	assertUnchanged(t, stays, before, "when "+gone.name+" went")
	waitConditions(t, time.Minute, "tenant "+stays.name+" still Ready", func() (*unstructured.Unstructured, error) { return tenantClaim(ctx, stays) }, "Ready")
}

// badTenantInputKeepsWhatExists: a value only the function can judge (a
// quota that does not parse) is a Fatal naming the field, and nothing the
// tenant has changes.
func badTenantInputKeepsWhatExists(t *testing.T, lt liveTenant) {
	t.Helper()
	ctx := ctxFor(t)
	before := tenantFootprint(t, lt)
	bad := tenantFromExample(t, lt.ns, lt.name, func(spec map[string]any) {
		spec["quota"].(map[string]any)["memory"] = "8 gigs"
	})
	if err := cp.Mgmt.Apply(ctx, bad); err != nil {
		t.Fatal(err)
	}
	eventually(t, 2*time.Minute, "tenant "+lt.name+" reports its quota that does not parse", func() error {
		c, err := tenantClaim(ctx, lt)
		if err != nil {
			return err
		}
		msg, _ := plane.Condition(c, "SpecValid")["message"].(string)
		if plane.ConditionStatus(c, "SpecValid") != "False" || !strings.Contains(msg, `spec.quota.memory: Invalid value: "8 gigs"`) {
			return fmt.Errorf("%s", plane.Describe(c))
		}
		return nil
	})
	time.Sleep(5 * time.Second)
	assertUnchanged(t, lt, before, "by bad input")
	if err := cp.Mgmt.Apply(ctx, tenantFromExample(t, lt.ns, lt.name, func(map[string]any) {})); err != nil {
		t.Fatal(err)
	}
	waitConditions(t, 2*time.Minute, "tenant "+lt.name+" valid again", func() (*unstructured.Unstructured, error) { return tenantClaim(ctx, lt) }, "SpecValid", "Ready")
}

// assertUnchanged fails for each object of before that is gone, replaced or
// changed in its spec.
func assertUnchanged(t *testing.T, lt liveTenant, before map[string]string, when string) {
	t.Helper()
	after := tenantFootprint(t, lt)
	for k, v := range before {
		if after[k] != v {
			t.Errorf("tenant %s's %s changed %s: %s, now %q", lt.name, k, when, v, after[k])
		}
	}
}

// tenantFootprint is each object a tenant has on the workload cluster, by
// kind and name, as its UID and generation.
func tenantFootprint(t *testing.T, lt liveTenant) map[string]string {
	t.Helper()
	ctx := ctxFor(t)
	out := map[string]string{}
	for _, ns := range lt.namespaces {
		n, err := cp.Workload.Get(ctx, namespaceKind, "", ns)
		if err != nil {
			t.Fatal(err)
		}
		out["Namespace/"+ns] = string(n.GetUID())
		for _, k := range []schema.GroupVersionKind{quotaKind, limitRangeKind, netpolKind, roleBindingKind, deploymentKind, serviceKind, routeKind} {
			items, err := cp.Workload.List(ctx, k, ns, "")
			if err != nil {
				t.Fatal(err)
			}
			for _, i := range items {
				out[k.Kind+"/"+ns+"/"+i.GetName()] = fmt.Sprintf("%s@%d", i.GetUID(), i.GetGeneration())
			}
		}
	}
	return out
}

// platformHolder is the tenant whose ClusterUsages hold the platform's
// requested deletion, left by the tenant walk for step 6; nil when the walk
// did not run.
var platformHolder *liveTenant

// releasePlatform deletes the tenant holding the platform's deletion: it
// goes, and then the platform's XR is deleted.
func releasePlatform(t *testing.T, ctx context.Context, xr string) {
	t.Helper()
	lt := *platformHolder
	platformHolder = nil
	if err := cp.Mgmt.Delete(ctx, tenantClaimKind, lt.ns, lt.name); err != nil {
		t.Fatal(err)
	}
	eventually(t, 3*time.Minute, "the last tenant gone, then the platform's XR deleted", func() error {
		if _, err := tenantClaim(ctx, lt); !apierrors.IsNotFound(err) {
			return fmt.Errorf("tenant claim still there (%v)", err)
		}
		for _, ns := range lt.namespaces {
			if _, err := cp.Workload.Get(ctx, namespaceKind, "", ns); !apierrors.IsNotFound(err) {
				return fmt.Errorf("namespace %s still on the workload cluster (%v)", ns, err)
			}
		}
		x, err := cp.Mgmt.Get(ctx, xrKind, "", xr)
		if err == nil && x.GetDeletionTimestamp() == nil {
			return fmt.Errorf("the platform's XR is not being deleted yet")
		}
		return nil
	})
}

// platformHeldByTenant deletes the platform's claim while lt is still on
// it: Crossplane's Usage webhook refuses to delete the platform's XR, and
// the cluster and the tenant stay, until the tenant is deleted too.
func platformHeldByTenant(t *testing.T, lt liveTenant) {
	t.Helper()
	ctx := ctxFor(t)
	xr, err := xrName(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := cp.Mgmt.Delete(ctx, claimKind, "team-a", "demo"); err != nil {
		t.Fatal(err)
	}
	eventually(t, 2*time.Minute, "the platform's deletion refused while a tenant is on it", func() error {
		c, err := claim(ctx)
		if err != nil {
			return err
		}
		msg, _ := plane.Condition(c, "Synced")["message"].(string)
		if c.GetDeletionTimestamp() == nil || !strings.Contains(msg, "in-use") {
			return fmt.Errorf("%s", plane.Describe(c))
		}
		t.Logf("the platform's claim: %s", msg)
		return nil
	})
	usages, err := cp.Mgmt.List(ctx, clusterUsage, "", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range usages {
		of, _, _ := unstructured.NestedString(u.Object, "spec", "of", "resourceRef", "name")
		if kind, _, _ := unstructured.NestedString(u.Object, "spec", "of", "kind"); kind == "XPlatformCluster" && of == xr {
			by, _, _ := unstructured.NestedString(u.Object, "spec", "by", "resourceRef", "name")
			t.Logf("ClusterUsage %s of the platform's XR by %s", u.GetName(), by)
		}
	}
	// Held, not merely slow: a while later the platform's XR is still not
	// being deleted, its cluster is there and the tenant is Ready on it.
	time.Sleep(5 * time.Second)
	x, err := cp.Mgmt.Get(ctx, xrKind, "", xr)
	if err != nil || x.GetDeletionTimestamp() != nil {
		t.Fatalf("the platform's XR went while tenant %s is on it: %v %v", lt.name, err, x.GetDeletionTimestamp())
	}
	if _, err := cp.Mgmt.Get(ctx, lkeCluster, "", xr+"-cluster"); err != nil {
		t.Fatalf("the LKE Cluster went while tenant %s is on it: %v", lt.name, err)
	}
	if c, err := tenantClaim(ctx, lt); err != nil || plane.ConditionStatus(c, "Ready") != "True" {
		t.Errorf("tenant %s while its platform's deletion is held: %v %v", lt.name, err, c)
	}
	platformHolder = &lt
}

func anySlice(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
