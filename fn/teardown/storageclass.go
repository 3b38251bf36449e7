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
// so its volumes carry the claim's Linode tag. It goes with the claim like
// everything else on the cluster: deleting a volume does not need it (the
// CSI driver deletes a volume by its handle, and the class names no
// secrets).
func StorageClass(o compose.Owner, tag string) compose.Resource {
	return object.Wrap(o, StorageClassKey, "storageclass", storage.Class(tag), "", Component)
}
