package live

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/platformcluster/function-platform-cluster/test/live/plane"
	"github.com/platformcluster/function-platform-cluster/test/live/standin"
)

var pvcKind = gvk("", "v1", "PersistentVolumeClaim")

// helmObject is one object a Helm release installed (its manifest, hooks
// left out), in the release's namespace unless it names another.
type helmObject struct {
	release, apiVersion, kind, namespace, name string
	keep                                       bool // helm.sh/resource-policy: keep
}

func (o helmObject) String() string {
	return fmt.Sprintf("%s %s/%s (release %s)", o.kind, o.namespace, o.name, o.release)
}

// helmReleases reads what every Helm release on the workload cluster
// installed, from Helm's own storage: the release Secrets. Only the latest
// revision of each release counts.
func helmReleases(ctx context.Context) (map[string][]helmObject, error) {
	secrets, err := cp.Workload.List(ctx, secretKind, "", "owner=helm")
	if err != nil {
		return nil, err
	}
	latest := map[string]*unstructured.Unstructured{}
	for i := range secrets {
		s := &secrets[i]
		name := s.GetNamespace() + "/" + s.GetLabels()["name"]
		if have := latest[name]; have == nil || version(s) > version(have) {
			latest[name] = s
		}
	}
	out := map[string][]helmObject{}
	for name, s := range latest {
		objs, err := releaseObjects(s)
		if err != nil {
			return nil, fmt.Errorf("release %s: %w", name, err)
		}
		out[name] = objs
	}
	return out, nil
}

func version(s *unstructured.Unstructured) int {
	var v int
	_, _ = fmt.Sscan(s.GetLabels()["version"], &v)
	return v
}

// releaseObjects decodes a Helm release Secret (base64 of gzipped JSON in
// data.release) into the objects of its manifest.
func releaseObjects(s *unstructured.Unstructured) ([]helmObject, error) {
	enc, _, _ := unstructured.NestedString(s.Object, "data", "release")
	outer, err := base64.StdEncoding.DecodeString(enc)
	if err != nil {
		return nil, err
	}
	gz, err := base64.StdEncoding.DecodeString(string(outer))
	if err != nil {
		return nil, err
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, err
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		return nil, err
	}
	var rel struct {
		Name      string `json:"name"`
		Namespace string `json:"namespace"`
		Manifest  string `json:"manifest"`
	}
	if err := json.Unmarshal(data, &rel); err != nil {
		return nil, err
	}
	docs, err := plane.DecodeObjects([]byte(rel.Manifest))
	if err != nil {
		return nil, err
	}
	var out []helmObject
	for _, d := range docs {
		ns := d.GetNamespace()
		if ns == "" {
			ns = rel.Namespace
		}
		out = append(out, helmObject{
			release: rel.Name, apiVersion: d.GetAPIVersion(), kind: d.GetKind(), namespace: ns, name: d.GetName(),
			keep: d.GetAnnotations()["helm.sh/resource-policy"] == "keep",
		})
	}
	return out, nil
}

// helmObjectsLeft are the objects of releases that are still on the
// workload cluster, those Helm keeps by design left out.
func helmObjectsLeft(ctx context.Context, objs []helmObject) ([]helmObject, error) {
	var left []helmObject
	for _, o := range objs {
		if o.keep {
			continue
		}
		gv := strings.SplitN(o.apiVersion, "/", 2)
		g, v := "", gv[0]
		if len(gv) == 2 {
			g, v = gv[0], gv[1]
		}
		_, err := cp.Workload.Get(ctx, gvk(g, v, o.kind), o.namespace, o.name)
		switch {
		case err == nil:
			left = append(left, o)
		case apierrors.IsNotFound(err), meta.IsNoMatchError(err):
		default:
			return nil, err
		}
	}
	return left, nil
}

// atLinode is what the fake account holds now: NodeBalancers and volumes
// not deleted.
func atLinode() (nbs []standin.NodeBalancer, vols []standin.Volume) {
	for _, nb := range account.NodeBalancers() {
		if nb.Deleted.IsZero() {
			nbs = append(nbs, nb)
		}
	}
	for _, v := range account.Volumes() {
		if v.Deleted.IsZero() {
			vols = append(vols, v)
		}
	}
	return nbs, vols
}

func describeLinode(nbs []standin.NodeBalancer, vols []standin.Volume) string {
	var b strings.Builder
	var gb int64
	for _, v := range vols {
		gb += v.SizeGB
	}
	fmt.Fprintf(&b, "%d NodeBalancer(s), %d volume(s) of %d GB in all", len(nbs), len(vols), gb)
	for _, nb := range nbs {
		fmt.Fprintf(&b, "; NodeBalancer %d %s for Service %s", nb.ID, nb.IPv4, nb.Service)
	}
	for _, v := range vols {
		fmt.Fprintf(&b, "; volume %d %s %d GB (%s) for PVC %s", v.ID, v.Label, v.SizeGB, v.Class, v.PVC)
	}
	return b.String()
}

// teardownLeavesNothingBilled wraps the claim's deletion: before it, the
// platform's NodeBalancers, volumes and Helm releases are recorded; after
// it, the fake Linode account must hold none of them (keptVolumes aside),
// the LKE cluster must have been deleted at Linode only after they were,
// and every object the charts installed must be gone from the workload
// cluster, which only a real Helm uninstall does.
func teardownLeavesNothingBilled(deleteClaim func(t *testing.T)) func(t *testing.T) {
	return func(t *testing.T) {
		ctx := ctxFor(t)
		nbs, vols := atLinode()
		t.Logf("at Linode before the claim is deleted: %s", describeLinode(nbs, vols))
		if len(nbs) == 0 || len(vols) == 0 {
			t.Errorf("the platform holds no NodeBalancer or no volume before deletion: the assertions below would prove nothing")
		}
		releases, err := helmReleases(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(releases) == 0 {
			t.Fatal("no Helm release on the workload cluster: provider-helm installed nothing")
		}
		var installed []helmObject
		for _, objs := range releases {
			installed = append(installed, objs...)
		}
		deleteClaim(t)

		eventually(t, 2*time.Minute, "every object the charts installed is gone (Helm uninstall ran)", func() error {
			left, err := helmObjectsLeft(ctx, installed)
			if err != nil || len(left) == 0 {
				return err
			}
			return fmt.Errorf("%d left, first %s", len(left), left[0])
		})
		if rel, err := helmReleases(ctx); err != nil || len(rel) > 0 {
			t.Errorf("Helm releases left on the workload cluster: %v (%v)", releaseNames(rel), err)
		}
		assertNothingBilled(t, nil)
	}
}

// assertNothingBilled fails for every NodeBalancer and volume still at
// Linode other than kept, and for every one deleted after the LKE cluster
// (which nothing in a deleted cluster can do, so it would be left billed
// on the real Linode).
func assertNothingBilled(t *testing.T, kept map[string]bool) {
	t.Helper()
	c := account.Cluster()
	if c.Deleted.IsZero() {
		t.Fatalf("the LKE cluster %q was never deleted at Linode", c.Label)
	}
	nbs, vols := atLinode()
	t.Logf("at Linode after the claim is deleted: %s", describeLinode(nbs, vols))
	for _, nb := range nbs {
		t.Errorf("NodeBalancer %d (%s, Service %s) left at Linode, billed", nb.ID, nb.IPv4, nb.Service)
	}
	for _, v := range vols {
		if !kept[v.PVC] {
			t.Errorf("volume %d (%s, PVC %s, class %s) left at Linode, billed", v.ID, v.Label, v.PVC, v.Class)
		}
	}
	for pvc := range kept {
		found := false
		for _, v := range vols {
			found = found || v.PVC == pvc
		}
		if !found {
			t.Errorf("the volume of PVC %s was to be kept, and is gone", pvc)
		}
	}
	for _, nb := range account.NodeBalancers() {
		if !nb.Deleted.IsZero() && nb.Deleted.After(c.Deleted) {
			t.Errorf("NodeBalancer %d (Service %s) deleted %s after the LKE cluster", nb.ID, nb.Service, nb.Deleted.Sub(c.Deleted))
		}
	}
	for _, v := range account.Volumes() {
		if !v.Deleted.IsZero() && v.Deleted.After(c.Deleted) {
			t.Errorf("volume %d (PVC %s) deleted %s after the LKE cluster", v.ID, v.PVC, v.Deleted.Sub(c.Deleted))
		}
	}
}

// switchedOffReleasesVolumes turns Tempo off on day 2: its release is
// uninstalled, and its PVCs and their volumes at Linode go with it.
func switchedOffReleasesVolumes(t *testing.T) {
	ctx := ctxFor(t)
	xr, err := xrName(ctx)
	if err != nil {
		t.Fatal(err)
	}
	releases, err := helmReleases(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tempo := releases["observability/tempo"]
	if len(tempo) == 0 {
		t.Fatalf("no Helm release observability/tempo on the workload cluster (releases: %v)", releaseNames(releases))
	}
	var tempoVols []standin.Volume
	_, vols := atLinode()
	for _, v := range vols {
		if strings.HasPrefix(v.PVC, "observability/") && strings.Contains(v.PVC, "tempo") {
			tempoVols = append(tempoVols, v)
		}
	}
	if len(tempoVols) == 0 {
		t.Fatalf("Tempo has no volume at Linode: %s", describeLinode(atLinode()))
	}
	editClaim(t, func(spec map[string]any) {
		spec["components"].(map[string]any)["o11yStack"].(map[string]any)["tempo"] = false
	})
	eventually(t, 5*time.Minute, "Tempo's Release and every object of its chart gone", func() error {
		got, err := composed(ctx, xr)
		if err != nil {
			return err
		}
		if got["Release/"+xr+"-tempo"] != nil {
			return fmt.Errorf("Tempo's Release still composed")
		}
		left, err := helmObjectsLeft(ctx, tempo)
		if err != nil || len(left) == 0 {
			return err
		}
		return fmt.Errorf("%d left, first %s", len(left), left[0])
	})
	eventually(t, 2*time.Minute, "Tempo's PVCs and their volumes at Linode gone", func() error {
		pvcs, err := cp.Workload.List(ctx, pvcKind, "observability", "")
		if err != nil {
			return err
		}
		for _, p := range pvcs {
			if strings.Contains(p.GetName(), "tempo") {
				return fmt.Errorf("PVC %s/%s left", p.GetNamespace(), p.GetName())
			}
		}
		_, now := atLinode()
		for _, v := range now {
			for _, tv := range tempoVols {
				if v.ID == tv.ID {
					return fmt.Errorf("volume %d of PVC %s left at Linode", v.ID, v.PVC)
				}
			}
		}
		return nil
	})
	// Their guards go once provider-kubernetes has seen the claims go from
	// the cluster: later steps compare what is composed before and after.
	eventually(t, 2*time.Minute, "the teardown guards of Tempo's volumes and their ClusterUsages dropped", func() error {
		got, err := composed(ctx, xr)
		if err != nil {
			return err
		}
		if left := guardsOf(got, tempoVols); len(left) > 0 {
			return fmt.Errorf("still composed: %v", left)
		}
		return nil
	})
	// Alloy's values name Tempo, so Helm upgrades it too, and its DaemonSet
	// rolls on the kwok nodes: the claim is Ready again after that.
	waitReleasesSettled(t, xr)
	waitConditions(t, 5*time.Minute, "claim Ready without Tempo", func() (*unstructured.Unstructured, error) { return claim(ctx) }, "Ready")
}

// waitReleasesSettled waits until provider-helm has reconciled every
// composed Release at its current generation (Synced, which crossplane-runtime
// marks with the generation it reconciled; an upgrade with wait holds it
// back until done) and each is Ready.
func waitReleasesSettled(t *testing.T, xr string) {
	t.Helper()
	ctx := ctxFor(t)
	eventually(t, 6*time.Minute, "every Release reconciled at its generation and Ready", func() error {
		got, err := composed(ctx, xr)
		if err != nil {
			return err
		}
		for _, r := range ofKind(got, "Release") {
			synced := plane.Condition(r, "Synced")
			if synced["status"] != "True" || fmt.Sprint(synced["observedGeneration"]) != fmt.Sprint(r.GetGeneration()) || plane.ConditionStatus(r, "Ready") != "True" {
				return fmt.Errorf("generation %d: %s", r.GetGeneration(), plane.Describe(r))
			}
		}
		return nil
	})
}

// guardsOf are the composed resources that guard the volumes (the claim's
// and the PersistentVolume's guard Objects, and the ClusterUsages naming
// them), by their composition resource names (fn/teardown/guards.go,
// fn/protection/usage.go).
func guardsOf(got map[string]*unstructured.Unstructured, vols []standin.Volume) []string {
	var out []string
	for _, k := range names(got) {
		key := got[k].GetAnnotations()["crossplane.io/composition-resource-name"]
		for _, v := range vols {
			if strings.Contains(key, "teardown-pvc-"+strings.Replace(v.PVC, "/", ".", 1)) || strings.Contains(key, "teardown-pv-"+v.PV) {
				out = append(out, k)
				break
			}
		}
	}
	return out
}

// removedWorkloadReleasesVolumes wraps taking the workload out of the
// claim: its backing service's volumes (a StatefulSet that deletes its
// claims with it) go from Linode too, as a switched-off chart's do.
func removedWorkloadReleasesVolumes(removeWorkload func(t *testing.T)) func(t *testing.T) {
	return func(t *testing.T) {
		var vols []standin.Volume
		_, now := atLinode()
		for _, v := range now {
			if strings.HasPrefix(v.PVC, "demo-app/") {
				vols = append(vols, v)
			}
		}
		if len(vols) == 0 {
			t.Fatalf("the workload has no volume at Linode: %s", describeLinode(atLinode()))
		}
		removeWorkload(t)
		eventually(t, 3*time.Minute, "the workload's volumes at Linode gone", func() error {
			_, now := atLinode()
			for _, v := range now {
				if strings.HasPrefix(v.PVC, "demo-app/") {
					return fmt.Errorf("volume %d of PVC %s left at Linode", v.ID, v.PVC)
				}
			}
			return nil
		})
	}
}

func releaseNames(m map[string][]helmObject) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// keptVolumesStay switches the claim to keep its volumes on delete
// (spec.volumesOnDelete: Keep) and deletes it: the account then holds
// exactly the volumes the claim had, each tagged with the claim so that it
// can be found, and no NodeBalancer. It runs in TestOldestCrossplane's
// plane, whose claim is Ready after step 3 (oldest_test.go): creating the
// claim again here, after step 6, would add the whole install of the
// charts (about five minutes) to the suite.
func keptVolumesStay(t *testing.T) {
	if os.Getenv(oldestEnv) == "" {
		t.Skip("runs in TestOldestCrossplane's plane, on its claim")
	}
	ctx := ctxFor(t)
	xr, err := xrName(ctx)
	if err != nil {
		t.Fatal(err)
	}
	editClaim(t, func(spec map[string]any) { spec["volumesOnDelete"] = "Keep" })
	kept := map[string]bool{}
	eventually(t, 3*time.Minute, "every volume of the claim retained (its guard set the reclaim policy)", func() error {
		pvs, err := cp.Workload.List(ctx, gvk("", "v1", "PersistentVolume"), "", "")
		if err != nil {
			return err
		}
		for _, pv := range pvs {
			if p, _, _ := unstructured.NestedString(pv.Object, "spec", "persistentVolumeReclaimPolicy"); p != "Retain" {
				return fmt.Errorf("PersistentVolume %s: reclaim policy %s", pv.GetName(), p)
			}
			ns, _, _ := unstructured.NestedString(pv.Object, "spec", "claimRef", "namespace")
			name, _, _ := unstructured.NestedString(pv.Object, "spec", "claimRef", "name")
			kept[ns+"/"+name] = true
		}
		return nil
	})
	if len(kept) == 0 {
		t.Fatalf("the claim has no volume to keep: %s", describeLinode(atLinode()))
	}
	waitReleasesSettled(t, xr)
	deleteEverything(t)
	assertNothingBilled(t, kept)
	_, left := atLinode()
	for _, v := range left {
		if kept[v.PVC] && !namesClaim(v) {
			t.Errorf("kept volume %d (PVC %s) carries no tag or label naming the claim team-a/demo: tags %v, labels %v", v.ID, v.PVC, v.Tags, v.Labels)
		}
	}
}

// namesClaim says whether a volume's tags or its PVC's labels name the
// claim demo in team-a, so that its owner can find it.
func namesClaim(v standin.Volume) bool {
	for _, s := range append(append([]string{}, v.Tags...), values(v.Labels)...) {
		if strings.Contains(s, "team-a") && strings.Contains(s, "demo") {
			return true
		}
	}
	return false
}

func values(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	return out
}
