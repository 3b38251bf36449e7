package manifest

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// From drops what the Go types add (null creationTimestamp, empty structs,
// status) but keeps an empty emptyDir, and gives whole numbers as int64.
func TestFrom(t *testing.T) {
	got := From(&corev1.Pod{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Pod"},
		ObjectMeta: metav1.ObjectMeta{Name: "p", Namespace: "n"},
		Spec: corev1.PodSpec{
			Volumes:    []corev1.Volume{{Name: "tmp", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}}},
			Containers: []corev1.Container{{Name: "c", Image: "i"}},
			SecurityContext: &corev1.PodSecurityContext{
				RunAsUser: new(int64(65532)),
			},
		},
	})
	want := Manifest{
		"apiVersion": "v1", "kind": "Pod",
		"metadata": map[string]any{"name": "p", "namespace": "n"},
		"spec": map[string]any{
			"volumes":         []any{map[string]any{"name": "tmp", "emptyDir": map[string]any{}}},
			"containers":      []any{map[string]any{"name": "c", "image": "i"}},
			"securityContext": map[string]any{"runAsUser": int64(65532)},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if kind, ns, name := Key(got); kind != "Pod" || ns != "n" || name != "p" {
		t.Errorf("Key = %s %s %s", kind, ns, name)
	}
}
