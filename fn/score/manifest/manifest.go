// Package manifest holds Kubernetes objects as JSON values, the form every
// object the function composes onto the new cluster takes: Score's
// workloads and resources, and the credential generator's Jobs.
package manifest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/platformcluster/function-platform-cluster/fn/compose"
)

// ManagedBy is the app.kubernetes.io/managed-by label on every manifest.
const ManagedBy = "function-platform-cluster"

// Well-known labels on everything Score workloads and resources become.
const (
	LabelName      = "app.kubernetes.io/name"
	LabelInstance  = "app.kubernetes.io/instance"
	LabelManagedBy = "app.kubernetes.io/managed-by"
)

// Labels are the labels of the objects of one workload or resource instance.
func Labels(name string) map[string]string {
	return map[string]string{
		LabelName:      name,
		LabelInstance:  name,
		LabelManagedBy: ManagedBy,
	}
}

// Selector is the pod selector of a workload or resource. It is immutable on
// Deployments and StatefulSets, so it holds only labels derived from the
// name, never anything that may change with the spec.
func Selector(name string) map[string]string {
	return map[string]string{
		LabelName:     name,
		LabelInstance: name,
	}
}

// ObjectMeta names an object of the application app: a workload, or a
// database instance.
func ObjectMeta(namespace, name, app string) metav1.ObjectMeta {
	return metav1.ObjectMeta{Name: name, Namespace: namespace, Labels: Labels(app)}
}

// TypeMeta returns the TypeMeta of a typed object, which the Go types leave
// empty.
func TypeMeta(apiVersion, kind string) metav1.TypeMeta {
	return metav1.TypeMeta{APIVersion: apiVersion, Kind: kind}
}

// Secret is a Secret without data: its keys are generated on the
// cluster (see provision.GeneratedSecret).
func Secret(namespace, name string) Manifest {
	return From(&corev1.Secret{
		TypeMeta:   TypeMeta("v1", "Secret"),
		ObjectMeta: ObjectMeta(namespace, name, name),
		Type:       corev1.SecretTypeOpaque,
	})
}

// Manifest is one Kubernetes object holding JSON-compatible values only:
// string, bool, int64, float64, []any and map[string]any.
type Manifest = map[string]any

// From turns a typed Kubernetes object into JSON-compatible values.
// Objects are built from the typed structs so the compiler checks field
// names; the round trip drops what the Go types add but a manifest should
// not carry: nulls (creationTimestamp), empty structs (status, strategy).
func From(obj any) Manifest {
	raw, err := json.Marshal(obj)
	if err != nil {
		// The objects are built here from strings and numbers; a failure is
		// a bug, which Convert's recover turns into a problem.
		panic(fmt.Sprintf("marshal %T: %v", obj, err))
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		panic(fmt.Sprintf("unmarshal %T: %v", obj, err))
	}
	m := jsonValues(v).(map[string]any)
	// Some status structs have fields without omitempty.
	delete(m, "status")
	return m
}

// keepEmpty are the fields whose empty object means something.
var keepEmpty = map[string]bool{"emptyDir": true}

// jsonValues replaces json.Number with int64 or float64 and drops nulls.
func jsonValues(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			e = jsonValues(e)
			if m, ok := e.(map[string]any); e == nil || ok && len(m) == 0 && !keepEmpty[k] {
				delete(t, k)
				continue
			}
			t[k] = e
		}
		return t
	case []any:
		for i, e := range t {
			t[i] = jsonValues(e)
		}
		return t
	case json.Number:
		if i, err := strconv.ParseInt(string(t), 10, 64); err == nil {
			return i
		}
		f, _ := strconv.ParseFloat(string(t), 64)
		return f
	}
	return v
}

// Key is the object's kind, namespace and name.
func Key(m Manifest) (kind, namespace, name string) {
	id := compose.Identify(m)
	return id.Kind, id.Namespace, id.Name
}
