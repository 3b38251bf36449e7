// Package teardown builds what makes deleting a claim clean up at Linode
// while the cluster can still do it: provider-kubernetes Objects that
// observe the new cluster's volumes and load balancers, and delete them and
// wait until they are gone before the LKE Cluster goes. README.md
// ("Teardown") explains the design.
package teardown

import (
	"sort"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/platformcluster/function-platform-cluster/fn/compose"
	"github.com/platformcluster/function-platform-cluster/fn/providerconfig"
)

// CollectionKey is the composition resource name of the collection that
// observes every PersistentVolumeClaim on the new cluster.
const CollectionKey = "teardown-volumes"

// MembershipLabel is the label provider-kubernetes puts on each Object it
// creates for a member of a collection, valued with the collection's name
// (internal/controller/cluster/observedobjectcollection, v1.2.1).
const MembershipLabel = "kubernetes.crossplane.io/owned-by-collection"

// CollectionName is the metadata.name of the XR's volume collection.
func CollectionName(xr string) string { return compose.Name(xr, "volumes") }

// Collection observes every PersistentVolumeClaim on the new cluster, in
// every namespace: provider-kubernetes keeps one observe-only Object per
// claim, labelled MembershipLabel, and the function reads them as required
// resources. Every claim counts, not only the charts' and the workloads':
// the cluster is the platform's, and a volume anyone left on it would stay
// billed after the cluster is gone.
func Collection(o compose.Owner) compose.Resource {
	obj := compose.Object("kubernetes.crossplane.io/v1alpha1", "ObservedObjectCollection", CollectionName(o.XR))
	obj["spec"] = map[string]any{
		"observeObjects": map[string]any{
			"apiVersion": "v1",
			"kind":       "PersistentVolumeClaim",
			"selector":   map[string]any{},
		},
		"providerConfigRef": map[string]any{"name": providerconfig.Name(o.XR)},
	}
	o.Label(obj, Component)
	return compose.Resource{Key: CollectionKey, Object: obj}
}

// Volume is a PersistentVolumeClaim on the new cluster and the
// PersistentVolume bound to it ("" while it is not bound).
type Volume struct {
	Namespace, Name, PV string
}

// ID is how status and keys name the volume: namespace/name.
func (v Volume) ID() string { return v.Namespace + "/" + v.Name }

// Volumes reads the claims the collection's member Objects observed, in
// order. A member whose claim was not observed yet is skipped: nothing is
// known of it.
func Volumes(members []*fnv1.Resource) []Volume {
	var out []Volume
	for _, m := range members {
		f := m.GetResource().GetFields()["status"].GetStructValue().GetFields()["atProvider"].
			GetStructValue().GetFields()["manifest"].GetStructValue().GetFields()
		md := f["metadata"].GetStructValue().GetFields()
		v := Volume{
			Namespace: md["namespace"].GetStringValue(),
			Name:      md["name"].GetStringValue(),
			PV:        f["spec"].GetStructValue().GetFields()["volumeName"].GetStringValue(),
		}
		if v.Namespace == "" || v.Name == "" {
			continue
		}
		out = append(out, v)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID() < out[j].ID() })
	return out
}
