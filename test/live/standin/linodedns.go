package standin

import (
	"context"
	"strconv"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

var (
	domainKind = gvk("domain.linode.upbound.io", "v1alpha1", "Domain")
	recordKind = gvk("domain.linode.upbound.io", "v1alpha1", "Record")
)

func observeDomain(u *unstructured.Unstructured) (map[string]any, error) {
	fp, _, _ := unstructured.NestedMap(u.Object, "spec", "forProvider")
	at := map[string]any{"id": linodeID(u.GetName()), "status": "active"}
	for _, k := range []string{"domain", "type", "soaEmail", "ttlSec"} {
		if v, ok := fp[k]; ok {
			at[k] = v
		}
	}
	return at, nil
}

// observeRecord resolves the Record's domainIdRef as the provider's
// reference resolver does, writing spec.forProvider.domainId: a Record
// naming a Domain that does not exist, or has no ID yet, stays unready.
func (l *Linode) observeRecord(u *unstructured.Unstructured) (map[string]any, error) {
	if err := l.resolveDomainID(u); err != nil {
		return nil, err
	}
	fp, _, _ := unstructured.NestedMap(u.Object, "spec", "forProvider")
	at := map[string]any{"id": linodeID(u.GetName())}
	for _, k := range []string{"domainId", "name", "recordType", "target", "ttlSec"} {
		if v, ok := fp[k]; ok {
			at[k] = v
		}
	}
	return at, nil
}

func (l *Linode) resolveDomainID(u *unstructured.Unstructured) error {
	if _, ok, _ := unstructured.NestedFieldNoCopy(u.Object, "spec", "forProvider", "domainId"); ok {
		return nil
	}
	ref, _, _ := unstructured.NestedString(u.Object, "spec", "forProvider", "domainIdRef", "name")
	if ref == "" {
		return errorf(u, "neither spec.forProvider.domainId nor domainIdRef is set")
	}
	ctx := context.Background()
	d, err := l.Mgmt.Get(ctx, domainKind, "", ref)
	if err != nil {
		return errorf(u, "cannot resolve domainIdRef: %v", err)
	}
	id, _, _ := unstructured.NestedString(d.Object, "status", "atProvider", "id")
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return errorf(u, "cannot resolve domainIdRef: Domain %s has no ID yet", ref)
	}
	_ = unstructured.SetNestedField(u.Object, n, "spec", "forProvider", "domainId")
	r, err := l.Mgmt.Resource(recordKind, "")
	if err != nil {
		return err
	}
	updated, err := r.Update(ctx, u, metav1.UpdateOptions{})
	if err != nil {
		return err
	}
	*u = *updated
	return nil
}
