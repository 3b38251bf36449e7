package addons

import "github.com/platformcluster/function-platform-cluster/fn/charts"

// withVolumes adds to an add-on's values what makes its volumes go with
// it, and says whether the add-on makes volumes at all. Volumes come from
// the cluster's default StorageClass, the platform's (fn/storage): the
// values name no class, because a claim's storageClassName cannot change
// once made, and an upgrade that changed it would fail on every existing
// cluster. Whether a volume's Linode volume is deleted with it is the
// claim's choice, set on the volume itself (fn/teardown).
//
//   - Loki and Tempo keep their data in StatefulSet volumes, which
//     Kubernetes keeps after the StatefulSet unless the StatefulSet's
//     persistentVolumeClaimRetentionPolicy says Delete; each chart sets
//     one with enableStatefulSetAutoDeletePVC (whenDeleted and whenScaled
//     Delete, the charts' defaults).
//   - Grafana's volume is a PersistentVolumeClaim of the chart, which Helm
//     deletes on uninstall.
//   - Harbor's chart marks its registry and job log claims
//     helm.sh/resource-policy: keep unless persistence.resourcePolicy is
//     empty; its database, Redis and Trivy StatefulSets have no retention
//     policy, so their claims are deleted at teardown by their guards.
func withVolumes(addon string, values map[string]any) (map[string]any, bool) {
	var v map[string]any
	switch addon {
	case charts.Loki:
		v = map[string]any{"singleBinary": map[string]any{"persistence": map[string]any{"enableStatefulSetAutoDeletePVC": true}}}
	case charts.Tempo:
		v = map[string]any{"persistence": map[string]any{"enableStatefulSetAutoDeletePVC": true}}
	case charts.Grafana:
		return values, true
	case charts.Harbor:
		v = map[string]any{"persistence": map[string]any{"resourcePolicy": ""}}
	default:
		return values, false
	}
	return charts.Merge(values, v), true
}
