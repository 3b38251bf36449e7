package tenantspec

import "cmp"

// Defaults a tenant's quota and limits start from.
var (
	DefaultQuota = Quota{
		CPU: "4", Memory: "8Gi", Storage: "50Gi",
		Pods: ptr(50), Services: ptr(20), PersistentVolumeClaims: ptr(10), ConfigMaps: ptr(50), Secrets: ptr(50),
	}
	DefaultLimits = Limits{CPU: "500m", Memory: "512Mi", RequestCPU: "100m", RequestMemory: "128Mi"}
)

func ptr(n int64) *int64 { return &n }

// ApplyDefaults fills what the claim leaves out. tenant names the default
// namespace; claimNamespace is where a clusterRef without a namespace
// looks.
func (s *Spec) ApplyDefaults(tenant, claimNamespace string) {
	s.ClusterRef.Namespace = cmp.Or(s.ClusterRef.Namespace, claimNamespace)
	if len(s.Namespaces) == 0 {
		s.Namespaces = []string{tenant}
	}
	q := DefaultQuota
	if s.Quota != nil {
		q = Quota{
			CPU: cmp.Or(s.Quota.CPU, q.CPU), Memory: cmp.Or(s.Quota.Memory, q.Memory), Storage: cmp.Or(s.Quota.Storage, q.Storage),
			Pods: or(s.Quota.Pods, q.Pods), Services: or(s.Quota.Services, q.Services),
			PersistentVolumeClaims: or(s.Quota.PersistentVolumeClaims, q.PersistentVolumeClaims),
			ConfigMaps:             or(s.Quota.ConfigMaps, q.ConfigMaps), Secrets: or(s.Quota.Secrets, q.Secrets),
		}
	}
	s.Quota = &q
	l := DefaultLimits
	if s.Limits != nil {
		l = Limits{
			CPU: cmp.Or(s.Limits.CPU, l.CPU), Memory: cmp.Or(s.Limits.Memory, l.Memory),
			RequestCPU: cmp.Or(s.Limits.RequestCPU, l.RequestCPU), RequestMemory: cmp.Or(s.Limits.RequestMemory, l.RequestMemory),
		}
	}
	s.Limits = &l
	for i := range s.Workloads {
		s.Workloads[i].Namespace = cmp.Or(s.Workloads[i].Namespace, s.Namespaces[0])
	}
}

func or(a, b *int64) *int64 {
	if a != nil {
		return a
	}
	return b
}
