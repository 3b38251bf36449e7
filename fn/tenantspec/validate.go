package tenantspec

import (
	"slices"

	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

var root = field.NewPath("spec")

// maxNamespaces bounds a tenant's namespaces, and with them its Objects.
const maxNamespaces = 20

// Validate checks a defaulted spec. reserved maps each namespace a tenant
// may not take to whose it is.
func (s *Spec) Validate(reserved map[string]string) field.ErrorList {
	var errs field.ErrorList
	if s.ClusterRef.Name == "" {
		errs = append(errs, field.Required(root.Child("clusterRef", "name"), "the PlatformCluster the tenant lives on"))
	}
	errs = append(errs, s.validateNamespaces(reserved)...)
	errs = append(errs, s.Quota.validate(root.Child("quota"))...)
	errs = append(errs, s.Limits.validate(root.Child("limits"))...)
	errs = append(errs, s.validateAccess()...)
	if s.Host != "" {
		for _, msg := range validation.IsDNS1123Subdomain(s.Host) {
			errs = append(errs, field.Invalid(root.Child("host"), s.Host, msg))
		}
	}
	return append(errs, s.validateWorkloads()...)
}

func (s *Spec) validateNamespaces(reserved map[string]string) field.ErrorList {
	var errs field.ErrorList
	p := root.Child("namespaces")
	if len(s.Namespaces) > maxNamespaces {
		errs = append(errs, field.TooMany(p, len(s.Namespaces), maxNamespaces))
	}
	seen := map[string]bool{}
	for i, ns := range s.Namespaces {
		pi := p.Index(i)
		for _, msg := range validation.IsDNS1123Label(ns) {
			errs = append(errs, field.Invalid(pi, ns, msg))
		}
		if owner, ok := reserved[ns]; ok {
			errs = append(errs, field.Forbidden(pi, "namespace "+ns+" belongs to "+owner))
		}
		if seen[ns] {
			errs = append(errs, field.Duplicate(pi, ns))
		}
		seen[ns] = true
	}
	return errs
}

func (q *Quota) validate(p *field.Path) field.ErrorList {
	var errs field.ErrorList
	for name, v := range map[string]string{"cpu": q.CPU, "memory": q.Memory, "storage": q.Storage} {
		errs = append(errs, quantity(p.Child(name), v)...)
	}
	for name, n := range map[string]*int64{
		"pods": q.Pods, "services": q.Services, "persistentVolumeClaims": q.PersistentVolumeClaims,
		"configMaps": q.ConfigMaps, "secrets": q.Secrets,
	} {
		if n != nil && *n < 0 {
			errs = append(errs, field.Invalid(p.Child(name), *n, "must not be negative"))
		}
	}
	// Maps are iterated in random order; results must not be.
	sortErrors(errs)
	return errs
}

func (l *Limits) validate(p *field.Path) field.ErrorList {
	var errs field.ErrorList
	for _, f := range []struct{ name, v string }{
		{"cpu", l.CPU}, {"memory", l.Memory}, {"requestCpu", l.RequestCPU}, {"requestMemory", l.RequestMemory},
	} {
		errs = append(errs, quantity(p.Child(f.name), f.v)...)
	}
	if len(errs) > 0 {
		return errs
	}
	if exceeds(l.RequestCPU, l.CPU) {
		errs = append(errs, field.Invalid(p.Child("requestCpu"), l.RequestCPU, "must not exceed limits.cpu ("+l.CPU+")"))
	}
	if exceeds(l.RequestMemory, l.Memory) {
		errs = append(errs, field.Invalid(p.Child("requestMemory"), l.RequestMemory, "must not exceed limits.memory ("+l.Memory+")"))
	}
	return errs
}

// exceeds compares two quantities that parse.
func exceeds(a, b string) bool {
	qa, qb := resource.MustParse(a), resource.MustParse(b)
	return qa.Cmp(qb) > 0
}

func quantity(p *field.Path, v string) field.ErrorList {
	q, err := resource.ParseQuantity(v)
	if err != nil {
		return field.ErrorList{field.Invalid(p, v, "must be a Kubernetes quantity such as 500m, 2 or 4Gi")}
	}
	if q.Sign() < 0 {
		return field.ErrorList{field.Invalid(p, v, "must not be negative")}
	}
	return nil
}

func (s *Spec) validateAccess() field.ErrorList {
	var errs field.ErrorList
	for i, a := range s.Access {
		p := root.Child("access").Index(i)
		if a.Name == "" {
			errs = append(errs, field.Required(p.Child("name"), "the user or group to grant "+a.Role+" to"))
		}
		if !slices.Contains(Kinds, a.Kind) {
			errs = append(errs, field.NotSupported(p.Child("kind"), a.Kind, Kinds))
		}
		if !slices.Contains(Roles, a.Role) {
			errs = append(errs, field.NotSupported(p.Child("role"), a.Role, Roles))
		}
	}
	return errs
}

func (s *Spec) validateWorkloads() field.ErrorList {
	var errs field.ErrorList
	seen := map[string]bool{}
	for i, w := range s.Workloads {
		p := root.Child("workloads").Index(i)
		if w.Name == "" {
			errs = append(errs, field.Required(p.Child("name"), ""))
		}
		for _, msg := range validation.IsDNS1123Label(w.Name) {
			if w.Name != "" {
				errs = append(errs, field.Invalid(p.Child("name"), w.Name, msg))
			}
		}
		if seen[w.Name] {
			errs = append(errs, field.Duplicate(p.Child("name"), w.Name))
		}
		seen[w.Name] = true
		if !slices.Contains(s.Namespaces, w.Namespace) {
			errs = append(errs, field.NotSupported(p.Child("namespace"), w.Namespace, s.Namespaces))
		}
		if w.Score == nil {
			errs = append(errs, field.Required(p.Child("score"), "the workload's Score spec"))
		}
	}
	return errs
}

func sortErrors(errs field.ErrorList) {
	slices.SortFunc(errs, func(a, b *field.Error) int {
		if a.Field < b.Field {
			return -1
		}
		if a.Field > b.Field {
			return 1
		}
		return 0
	})
}
