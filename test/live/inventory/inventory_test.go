package inventory

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
)

var (
	helmPC       = schema.GroupVersionKind{Group: "helm.crossplane.io", Version: "v1beta1", Kind: "ProviderConfig"}
	kubernetesPC = schema.GroupVersionKind{Group: "kubernetes.crossplane.io", Version: "v1alpha1", Kind: "ProviderConfig"}
	release      = schema.GroupVersionKind{Group: "helm.crossplane.io", Version: "v1beta1", Kind: "Release"}
)

func TestKeysTellProviderConfigsApart(t *testing.T) {
	k := NewKeys([]schema.GroupVersionKind{helmPC, kubernetesPC, release})
	got := []string{k.Of(helmPC, "x"), k.Of(kubernetesPC, "x"), k.Of(release, "x-loki")}
	want := []string{"ProviderConfig.helm.crossplane.io/x", "ProviderConfig.kubernetes.crossplane.io/x", "Release/x-loki"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("keys (-want +got):\n%s", diff)
	}
}

func obj(uid, resourceName string, deleting bool) *unstructured.Unstructured {
	u := &unstructured.Unstructured{Object: map[string]any{}}
	u.SetUID(types.UID(uid))
	u.SetAnnotations(map[string]string{AnnotationResourceName: resourceName})
	if deleting {
		now := metav1.Now()
		u.SetDeletionTimestamp(&now)
	}
	return u
}

func TestKept(t *testing.T) {
	k := NewKeys(nil)
	before := k.Take(map[string]*unstructured.Unstructured{
		"Release/a": obj("1", "a", false), "Release/b": obj("2", "b", false),
		"Release/c": obj("3", "c", false), "Release/d": obj("4", "d", false),
	})
	after := k.Take(map[string]*unstructured.Unstructured{
		"Release/a": obj("1", "a", false), "Release/b": obj("2", "b", true),
		"Release/c": obj("9", "c", false), "Release/e": obj("5", "e", false),
	})
	want := []string{"Release/b is being deleted", "Release/c was recreated (UID 9, was 3)", "Release/d was deleted"}
	if diff := cmp.Diff(want, Kept(before, after)); diff != "" {
		t.Errorf("Kept (-want +got):\n%s", diff)
	}
	if got := Kept(before, before); len(got) != 0 {
		t.Errorf("Kept(s, s) = %v, want nothing", got)
	}
}

func TestDuplicates(t *testing.T) {
	s := NewKeys(nil).Take(map[string]*unstructured.Unstructured{
		"Release/x-loki": obj("1", "loki", false), "Release/x-loki-2": obj("2", "loki", false),
		"Release/x-tempo": obj("3", "tempo", false),
	})
	want := []string{"loki is composed 2 times: [Release/x-loki Release/x-loki-2]"}
	if diff := cmp.Diff(want, Duplicates(s)); diff != "" {
		t.Errorf("Duplicates (-want +got):\n%s", diff)
	}
}

func TestDeletedAfter(t *testing.T) {
	usage := func(k string) bool { return strings.Contains(k, "-uses-") }
	cases := map[string]struct {
		deleted map[string]string
		want    []string
		err     bool
	}{
		"InOrder": {deleted: map[string]string{"Cluster/c": "100", "Release/r": "90", "ClusterUsage/x-uses-c": "101"}},
		// Two deletions between the same two polls are still ordered.
		"OneRevisionApart": {
			deleted: map[string]string{"Cluster/c": "100", "Release/r": "101"},
			want:    []string{"Release/r was deleted after Cluster/c (revision 101 > 100)"},
		},
		// Compared as numbers, not strings.
		"MoreDigits": {
			deleted: map[string]string{"Cluster/c": "99", "Release/r": "100"},
			want:    []string{"Release/r was deleted after Cluster/c (revision 100 > 99)"},
		},
		"ClusterNeverDeleted": {deleted: map[string]string{"Release/r": "1"}, err: true},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got, err := DeletedAfter(tc.deleted, "Cluster/c", usage)
			if (err != nil) != tc.err {
				t.Fatalf("err = %v, want error %v", err, tc.err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("DeletedAfter (-want +got):\n%s", diff)
			}
		})
	}
}
