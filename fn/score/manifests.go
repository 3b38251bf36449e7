package score

import (
	"cmp"
	"reflect"
	"slices"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/platformcluster/function-platform-cluster/fn/score/manifest"
)

func namespaceManifest(name string) Manifest {
	return manifest.From(&corev1.Namespace{
		TypeMeta:   manifest.TypeMeta("v1", "Namespace"),
		ObjectMeta: metav1.ObjectMeta{Name: name, Labels: map[string]string{manifest.LabelManagedBy: manifest.ManagedBy}},
	})
}

// kindRank orders manifests so that what others depend on comes first.
var kindRank = map[string]int{
	"Namespace":             0,
	"Secret":                1,
	"ConfigMap":             2,
	"PersistentVolumeClaim": 3,
	"Service":               4,
	"Deployment":            5,
	"StatefulSet":           5,
	"HTTPRoute":             6,
}

func rank(kind string) int {
	if r, ok := kindRank[kind]; ok {
		return r
	}
	return len(kindRank)
}

// appendNew appends the manifests ms does not already hold. Resources that
// share an instance (Kafka topics on one broker) each bring its manifests;
// identical copies are one object. Differing ones with the same name are
// left for checkCollisions to report.
func appendNew(ms []Manifest, add ...Manifest) []Manifest {
	for _, m := range add {
		if !slices.ContainsFunc(ms, func(x Manifest) bool { return reflect.DeepEqual(x, m) }) {
			ms = append(ms, m)
		}
	}
	return ms
}

func sortManifests(ms []Manifest) {
	slices.SortStableFunc(ms, func(a, b Manifest) int {
		ak, ans, an := manifest.Key(a)
		bk, bns, bn := manifest.Key(b)
		return cmp.Or(
			cmp.Compare(rank(ak), rank(bk)),
			cmp.Compare(an, bn),
			cmp.Compare(ak, bk),
			cmp.Compare(ans, bns),
		)
	})
}

func sortSecrets(ss []GeneratedSecret) {
	slices.SortFunc(ss, func(a, b GeneratedSecret) int {
		return cmp.Or(
			cmp.Compare(a.Namespace, b.Namespace),
			cmp.Compare(a.Name, b.Name),
			cmp.Compare(a.Resource, b.Resource),
		)
	})
}
