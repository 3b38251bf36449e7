// Package storage is the platform's StorageClass on the new cluster: where
// its volumes come from, and how they are found at Linode afterwards.
package storage

import "github.com/platformcluster/function-platform-cluster/fn/compose"

// ClassName is the platform's StorageClass. It is named like the classes
// LKE ships (linode-block-storage, linode-block-storage-retain) because it
// is one more of them: the same CSI driver, plus the claim's tag.
const ClassName = "linode-block-storage-platform"

// Provisioner is the Linode Block Storage CSI driver LKE runs.
const Provisioner = "linodebs.csi.linode.com"

// TagsParameter is the StorageClass parameter the CSI driver copies onto
// every volume it creates, as Linode tags (linode-blockstorage-csi-driver,
// docs/volume-tags.md).
const TagsParameter = "linodebs.csi.linode.com/volumeTags"

// maxTag is Linode's limit on a tag's length.
const maxTag = 50

// ClaimTag is the Linode tag of every volume of a claim:
// platform-claim:<namespace>.<name> (an XR without a claim: platform-xr:<name>),
// shortened with a hash past Linode's 50 characters.
func ClaimTag(claimNamespace, claimName, xr string) string {
	t := "platform-claim:" + claimNamespace + "." + claimName
	if claimNamespace == "" || claimName == "" {
		t = "platform-xr:" + xr
	}
	if len(t) <= maxTag {
		return t
	}
	return compose.Shorten(t, maxTag, "")
}

// Class is the StorageClass manifest. It is the cluster's default, so every
// claim that names no class, from the charts, from Score workloads or from
// the team's own manifests, gets a volume tagged with the claim; Kubernetes
// picks the newest of several default classes (since v1.26), and LKE's
// linode-block-storage-retain stays as it is. Its reclaim policy is Delete
// as LKE's linode-block-storage; what a claim's volumes do when the claim
// goes is then set per volume (fn/teardown), so that a claim can change
// its mind.
func Class(tag string) map[string]any {
	return map[string]any{
		"apiVersion": "storage.k8s.io/v1",
		"kind":       "StorageClass",
		"metadata": map[string]any{
			"name":        ClassName,
			"annotations": map[string]any{"storageclass.kubernetes.io/is-default-class": "true"},
		},
		"provisioner":          Provisioner,
		"reclaimPolicy":        "Delete",
		"volumeBindingMode":    "Immediate",
		"allowVolumeExpansion": true,
		"parameters":           map[string]any{TagsParameter: tag},
	}
}
