package teardown

import (
	"github.com/platformcluster/function-platform-cluster/fn/compose"
	"github.com/platformcluster/function-platform-cluster/fn/object"
	"github.com/platformcluster/function-platform-cluster/fn/storage"
)

// StorageClassKey is the composition resource name of the platform's
// StorageClass.
const StorageClassKey = "storageclass"

// StorageClass puts the platform's default StorageClass on the new cluster,
// so its volumes carry the claim's Linode tag. Deleting the Object leaves
// the class (deletionPolicy Orphan): volumes being provisioned while the
// claim goes still need it, and it goes with the cluster.
func StorageClass(o compose.Owner, tag string) compose.Resource {
	r := object.Wrap(o, StorageClassKey, "storageclass", storage.Class(tag), "", Component)
	r.Object["spec"].(map[string]any)["deletionPolicy"] = "Orphan"
	return r
}
