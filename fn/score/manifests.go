package score

import (
	"cmp"
	"reflect"
	"slices"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/platformcluster/function-platform-cluster/fn/score/manifest"
)

// Well-known labels on everything this package generates.
const (
	labelName      = "app.kubernetes.io/name"
	labelInstance  = "app.kubernetes.io/instance"
	labelManagedBy = "app.kubernetes.io/managed-by"
)

// labels are the labels of the objects of one workload or resource instance.
func labels(name string) map[string]string {
	return map[string]string{
		labelName:      name,
		labelInstance:  name,
		labelManagedBy: ManagedBy,
	}
}

// selector is the pod selector of a workload or resource. It is immutable on
// Deployments and StatefulSets, so it holds only labels derived from the
// name, never anything that may change with the spec.
func selector(name string) map[string]string {
	return map[string]string{
		labelName:     name,
		labelInstance: name,
	}
}

// objectMeta names an object of the application app: a workload, or a
// database instance.
func objectMeta(namespace, name, app string) metav1.ObjectMeta {
	return metav1.ObjectMeta{Name: name, Namespace: namespace, Labels: labels(app)}
}

// typeMeta returns the TypeMeta of a typed object, which the Go types leave
// empty.
func typeMeta(apiVersion, kind string) metav1.TypeMeta {
	return metav1.TypeMeta{APIVersion: apiVersion, Kind: kind}
}

func namespaceManifest(name string) Manifest {
	return manifest.From(&corev1.Namespace{
		TypeMeta:   typeMeta("v1", "Namespace"),
		ObjectMeta: metav1.ObjectMeta{Name: name, Labels: map[string]string{labelManagedBy: ManagedBy}},
	})
}

// secretManifest is a Secret without data: its keys are generated on the
// cluster (see GeneratedSecret).
func secretManifest(namespace, name string) Manifest {
	return manifest.From(&corev1.Secret{
		TypeMeta:   typeMeta("v1", "Secret"),
		ObjectMeta: objectMeta(namespace, name, name),
		Type:       corev1.SecretTypeOpaque,
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
