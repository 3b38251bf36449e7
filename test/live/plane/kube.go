package plane

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/discovery/cached/memory"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/restmapper"
	"k8s.io/client-go/tools/clientcmd"
)

// FieldManager is the server-side apply manager of everything the suite
// applies, as a user's kubectl would be.
const FieldManager = "fpc-live"

// Kube is a client of one API server that works with any kind, including
// kinds whose CRDs appear during the test.
type Kube struct {
	Config *rest.Config
	dyn    dynamic.Interface
	mapper *restmapper.DeferredDiscoveryRESTMapper
}

// NewKube connects to the API server a kubeconfig file names.
func NewKube(kubeconfig string) (*Kube, error) {
	cfg, err := clientcmd.BuildConfigFromFlags("", kubeconfig)
	if err != nil {
		return nil, err
	}
	cfg.QPS, cfg.Burst = 200, 400
	dyn, err := dynamic.NewForConfig(cfg)
	if err != nil {
		return nil, err
	}
	dc, err := discovery.NewDiscoveryClientForConfig(cfg)
	if err != nil {
		return nil, err
	}
	return &Kube{Config: cfg, dyn: dyn, mapper: restmapper.NewDeferredDiscoveryRESTMapper(memory.NewMemCacheClient(dc))}, nil
}

// Resource is the client of one kind in one namespace ("" for cluster
// scoped kinds or all namespaces).
func (k *Kube) Resource(gvk schema.GroupVersionKind, namespace string) (dynamic.ResourceInterface, error) {
	m, err := k.mapping(gvk)
	if err != nil {
		return nil, err
	}
	if m.Scope.Name() == meta.RESTScopeNameRoot {
		return k.dyn.Resource(m.Resource), nil
	}
	return k.dyn.Resource(m.Resource).Namespace(namespace), nil
}

// Namespaced says whether objects of a kind live in a namespace.
func (k *Kube) Namespaced(gvk schema.GroupVersionKind) (bool, error) {
	m, err := k.mapping(gvk)
	if err != nil {
		return false, err
	}
	return m.Scope.Name() == meta.RESTScopeNameNamespace, nil
}

func (k *Kube) mapping(gvk schema.GroupVersionKind) (*meta.RESTMapping, error) {
	m, err := k.mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
	if meta.IsNoMatchError(err) {
		// A CRD may have been established since discovery was cached.
		k.mapper.Reset()
		m, err = k.mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
	}
	return m, err
}

func (k *Kube) resourceOf(u *unstructured.Unstructured) (dynamic.ResourceInterface, error) {
	return k.Resource(u.GroupVersionKind(), u.GetNamespace())
}

// Apply server-side applies each object, taking ownership of its fields.
func (k *Kube) Apply(ctx context.Context, objs ...*unstructured.Unstructured) error {
	return k.apply(ctx, nil, objs)
}

// DryRun asks the API server to admit each object (schemas, CEL rules,
// admission) without persisting it.
func (k *Kube) DryRun(ctx context.Context, objs ...*unstructured.Unstructured) error {
	return k.apply(ctx, []string{metav1.DryRunAll}, objs)
}

func (k *Kube) apply(ctx context.Context, dryRun []string, objs []*unstructured.Unstructured) error {
	var errs []error
	for _, u := range objs {
		r, err := k.resourceOf(u)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s %s: %w", u.GetKind(), u.GetName(), err))
			continue
		}
		data, err := u.MarshalJSON()
		if err != nil {
			return err
		}
		force := true
		_, err = r.Patch(ctx, u.GetName(), types.ApplyPatchType, data, metav1.PatchOptions{
			FieldManager: FieldManager, Force: &force, DryRun: dryRun, FieldValidation: "Strict",
		})
		if err != nil {
			errs = append(errs, fmt.Errorf("%s %s/%s: %w", u.GetKind(), u.GetNamespace(), u.GetName(), err))
		}
	}
	return errors.Join(errs...)
}

// Get reads one object.
func (k *Kube) Get(ctx context.Context, gvk schema.GroupVersionKind, namespace, name string) (*unstructured.Unstructured, error) {
	r, err := k.Resource(gvk, namespace)
	if err != nil {
		return nil, err
	}
	return r.Get(ctx, name, metav1.GetOptions{})
}

// List reads every object of a kind, in one namespace or ("") all, that
// matches a label selector ("" for all).
func (k *Kube) List(ctx context.Context, gvk schema.GroupVersionKind, namespace, selector string) ([]unstructured.Unstructured, error) {
	r, err := k.Resource(gvk, namespace)
	if err != nil {
		return nil, err
	}
	l, err := r.List(ctx, metav1.ListOptions{LabelSelector: selector})
	if err != nil {
		return nil, err
	}
	return l.Items, nil
}

// Delete deletes one object in the background (dependents by the garbage
// collector), as kubectl delete does.
func (k *Kube) Delete(ctx context.Context, gvk schema.GroupVersionKind, namespace, name string) error {
	r, err := k.Resource(gvk, namespace)
	if err != nil {
		return err
	}
	return r.Delete(ctx, name, metav1.DeleteOptions{})
}

// ReadObjects decodes every document of YAML files.
func ReadObjects(paths ...string) ([]*unstructured.Unstructured, error) {
	var out []*unstructured.Unstructured
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		objs, err := DecodeObjects(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		out = append(out, objs...)
	}
	return out, nil
}

// DecodeObjects decodes every non-empty document of a YAML stream.
func DecodeObjects(data []byte) ([]*unstructured.Unstructured, error) {
	var out []*unstructured.Unstructured
	d := utilyaml.NewYAMLOrJSONDecoder(bytes.NewReader(data), 4096)
	for {
		var m map[string]any
		if err := d.Decode(&m); err != nil {
			if errors.Is(err, io.EOF) {
				return out, nil
			}
			return nil, err
		}
		if len(m) == 0 {
			continue
		}
		out = append(out, &unstructured.Unstructured{Object: m})
	}
}
