package standin

import (
	"context"
	"fmt"
	"strings"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/platformcluster/function-platform-cluster/test/live/plane"
)

const (
	// CSIDriver is the Linode Block Storage CSI driver's name, the
	// provisioner of LKE's StorageClasses.
	CSIDriver = "linodebs.csi.linode.com"
	// provisionerFinalizer is what the CSI external-provisioner holds on a
	// PV whose reclaim policy is Delete until it has deleted the volume.
	provisionerFinalizer = "external-provisioner.volume.kubernetes.io/finalizer"
	// Kubernetes' PV controller names the external provisioner of a PVC in
	// this annotation; the provisioner names itself on the PV it makes.
	storageProvisioner = "volume.kubernetes.io/storage-provisioner"
	provisionedBy      = "pv.kubernetes.io/provisioned-by"
	// volumeTags is the StorageClass parameter the driver tags volumes
	// with, comma separated.
	volumeTags = CSIDriver + "/volumeTags"
	// Linode's smallest Block Storage volume.
	minVolumeGB = 10
)

var (
	pvcKind          = gvk("", "v1", "PersistentVolumeClaim")
	pvKind           = gvk("", "v1", "PersistentVolume")
	storageClassKind = gvk("storage.k8s.io", "v1", "StorageClass")
)

// CSI stands in for the controller side of the Linode Block Storage CSI
// driver and its external-provisioner sidecar, which LKE runs for every
// cluster. A PVC that Kubernetes' PV controller hands to it gets a volume
// in the account and a PV bound to it (the binding itself is Kubernetes'
// own). When the PVC goes, the PV controller releases the PV; with reclaim
// policy Delete the volume and the PV are deleted, with Retain both stay.
// Once the LKE cluster is deleted at Linode, nothing runs any more.
type CSI struct {
	Workload *plane.Kube
	Account  *Account
}

// StorageClasses are the two classes LKE installs in every cluster, as the
// CSI driver's manifests define them: the retaining one is the default.
func StorageClasses() []*unstructured.Unstructured {
	class := func(name, policy string, isDefault bool) *unstructured.Unstructured {
		u := &unstructured.Unstructured{Object: map[string]any{
			"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass",
			"metadata":    map[string]any{"name": name},
			"provisioner": CSIDriver, "reclaimPolicy": policy,
			"allowVolumeExpansion": true, "volumeBindingMode": "Immediate",
		}}
		if isDefault {
			u.SetAnnotations(map[string]string{"storageclass.kubernetes.io/is-default-class": "true"})
		}
		return u
	}
	return []*unstructured.Unstructured{
		class("linode-block-storage", "Delete", false),
		class("linode-block-storage-retain", "Retain", true),
	}
}

// Run installs LKE's StorageClasses and reconciles until ctx ends.
func (c *CSI) Run(ctx context.Context, logf Logf) {
	if err := plane.Eventually(ctx, time.Minute, func() error { return c.Workload.Apply(ctx, StorageClasses()...) }); err != nil {
		logf("standin: StorageClasses: %v", err)
	}
	run(ctx, logf, time.Second,
		reconcile{kube: c.Workload, gvk: pvcKind, fn: c.provision},
		reconcile{kube: c.Workload, gvk: pvKind, fn: c.reclaim},
	)
}

// provision creates the volume and the PV of a PVC handed to this driver.
func (c *CSI) provision(ctx context.Context, _ resourceClient, u *unstructured.Unstructured) error {
	if !c.Account.clusterRunning() || u.GetDeletionTimestamp() != nil || u.GetAnnotations()[storageProvisioner] != CSIDriver {
		return nil
	}
	if v, _, _ := unstructured.NestedString(u.Object, "spec", "volumeName"); v != "" {
		return nil
	}
	pvName := "pvc-" + string(u.GetUID())
	if _, err := c.Workload.Get(ctx, pvKind, "", pvName); !apierrors.IsNotFound(err) {
		return err
	}
	className, _, _ := unstructured.NestedString(u.Object, "spec", "storageClassName")
	class, err := c.Workload.Get(ctx, storageClassKind, "", className)
	if err != nil {
		return err
	}
	policy, _, _ := unstructured.NestedString(class.Object, "reclaimPolicy")
	if policy == "" {
		policy = "Delete"
	}
	gb, err := requestedGB(u)
	if err != nil {
		return err
	}
	vol := c.Account.createVolume(Volume{
		Label: volumeLabel(u), SizeGB: gb, PV: pvName, PVC: u.GetNamespace() + "/" + u.GetName(),
		Class: className, Labels: u.GetLabels(), Tags: classTags(class),
	})
	return c.Workload.Apply(ctx, persistentVolume(u, vol, policy))
}

func classTags(class *unstructured.Unstructured) []string {
	s, _, _ := unstructured.NestedString(class.Object, "parameters", volumeTags)
	var tags []string
	for _, t := range strings.Split(s, ",") {
		if t = strings.TrimSpace(t); t != "" {
			tags = append(tags, t)
		}
	}
	return tags
}

func requestedGB(pvc *unstructured.Unstructured) (int64, error) {
	s, _, _ := unstructured.NestedString(pvc.Object, "spec", "resources", "requests", "storage")
	q, err := resource.ParseQuantity(s)
	if err != nil {
		return 0, errorf(pvc, "spec.resources.requests.storage %q: %v", s, err)
	}
	gb := (q.Value() + 1<<30 - 1) >> 30
	return max(gb, minVolumeGB), nil
}

// volumeLabel is a Linode volume label (at most 32 characters) from the
// PVC's UID, as the driver names volumes after the PV.
func volumeLabel(pvc *unstructured.Unstructured) string {
	l := "pvc" + strings.ReplaceAll(string(pvc.GetUID()), "-", "")
	return l[:min(len(l), 32)]
}

func persistentVolume(pvc *unstructured.Unstructured, vol Volume, policy string) *unstructured.Unstructured {
	modes, _, _ := unstructured.NestedStringSlice(pvc.Object, "spec", "accessModes")
	mode, _, _ := unstructured.NestedString(pvc.Object, "spec", "volumeMode")
	if mode == "" {
		mode = "Filesystem"
	}
	meta := map[string]any{"name": vol.PV, "annotations": map[string]any{provisionedBy: CSIDriver}}
	if policy == "Delete" {
		meta["finalizers"] = []any{provisionerFinalizer}
	}
	return &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "v1", "kind": "PersistentVolume", "metadata": meta,
		"spec": map[string]any{
			"accessModes": toAny(modes),
			"capacity":    map[string]any{"storage": fmt.Sprintf("%dGi", vol.SizeGB)},
			"claimRef": map[string]any{
				"apiVersion": "v1", "kind": "PersistentVolumeClaim",
				"namespace": pvc.GetNamespace(), "name": pvc.GetName(), "uid": string(pvc.GetUID()),
			},
			"csi": map[string]any{
				"driver": CSIDriver, "fsType": "ext4",
				"volumeHandle": fmt.Sprintf("%d-%s", vol.ID, vol.Label),
			},
			"persistentVolumeReclaimPolicy": policy,
			"storageClassName":              vol.Class,
			"volumeMode":                    mode,
		},
	}}
}

// reclaim deletes the volume and the PV of a released PV whose policy is
// Delete, as the external-provisioner does; a retained PV and its volume
// stay. Its finalizer follows the PV's policy, which may change after the
// PV was made.
func (c *CSI) reclaim(ctx context.Context, r resourceClient, u *unstructured.Unstructured) error {
	if !c.Account.clusterRunning() || u.GetAnnotations()[provisionedBy] != CSIDriver {
		return nil
	}
	policy, _, _ := unstructured.NestedString(u.Object, "spec", "persistentVolumeReclaimPolicy")
	phase, _, _ := unstructured.NestedString(u.Object, "status", "phase")
	held := contains(u.GetFinalizers(), provisionerFinalizer)
	switch {
	case policy != "Delete" && held:
		u.SetFinalizers(without(u.GetFinalizers(), provisionerFinalizer))
		_, err := r.Update(ctx, u, metav1.UpdateOptions{})
		return err
	case policy == "Delete" && !held && u.GetDeletionTimestamp() == nil:
		u.SetFinalizers(append(u.GetFinalizers(), provisionerFinalizer))
		_, err := r.Update(ctx, u, metav1.UpdateOptions{})
		return err
	}
	if policy != "Delete" || (phase != "Released" && phase != "Failed") {
		return nil
	}
	c.Account.deleteVolume(u.GetName())
	if u.GetDeletionTimestamp() == nil {
		if err := c.Workload.Delete(ctx, pvKind, "", u.GetName()); err != nil {
			return err
		}
		return nil
	}
	if !contains(u.GetFinalizers(), provisionerFinalizer) {
		return nil
	}
	u.SetFinalizers(without(u.GetFinalizers(), provisionerFinalizer))
	_, err := r.Update(ctx, u, metav1.UpdateOptions{})
	return err
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
