package spec

import (
	"cmp"
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/util/sets"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/platformcluster/function-platform-cluster/fn/sorted"
)

// Limits the LKE API enforces; checking them here turns a provider error
// minutes later into an immediate message on the claim.
const (
	maxClusterLabel = 32
	minClusterLabel = 3
	maxPoolName     = 20
	maxNodes        = 100
	maxPools        = 20
	minTag, maxTag  = 3, 50
)

var (
	clusterLabel = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)
	k8sVersion   = regexp.MustCompile(`^[0-9]+\.[0-9]+$`)
	// LKE Enterprise also names exact builds, e.g. v1.33.4+lke1.
	enterpriseBuild = regexp.MustCompile(`^v([0-9]+\.[0-9]+)\.[0-9]+\+lke[0-9]+$`)
	nodeType        = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)+$`)
	tiers           = []string{TierEnterprise, TierStandard}
	taintEffects    = []string{"NoExecute", "NoSchedule", "PreferNoSchedule"}
)

// LKE tiers.
const (
	TierStandard   = "standard"
	TierEnterprise = "enterprise"
)

// KubernetesVersions are the Kubernetes versions (major.minor) LKE offers,
// by tier.
type KubernetesVersions map[string][]string

// Validate checks a defaulted spec against the regions and Kubernetes
// versions on offer. Errors make the function return Fatal; warnings are
// reported but composition goes on.
func (s *Spec) Validate(regions []string, versions KubernetesVersions) (errs, warnings field.ErrorList) {
	c := s.ClusterSpec
	p := root.Child("clusterSpec")

	switch {
	case c.ClusterName == "":
		errs = append(errs, field.Required(p.Child("clusterName"), "the LKE cluster label"))
	case len(c.ClusterName) < minClusterLabel || len(c.ClusterName) > maxClusterLabel || !clusterLabel.MatchString(c.ClusterName):
		errs = append(errs, field.Invalid(p.Child("clusterName"), c.ClusterName,
			fmt.Sprintf("must be %d-%d lowercase letters, digits or '-', starting and ending with a letter or digit", minClusterLabel, maxClusterLabel)))
	}
	if !slices.Contains(regions, c.Region) {
		errs = append(errs, field.NotSupported(p.Child("region"), c.Region, regions))
	}
	if c.Tier != "" && !slices.Contains(tiers, c.Tier) {
		errs = append(errs, field.NotSupported(p.Child("tier"), c.Tier, tiers))
	} else {
		errs = append(errs, validateKubernetesVersion(c, versions, p.Child("kubernetesVersion"))...)
	}
	if c.Labels["team"] == "" {
		errs = append(errs, field.Required(p.Child("labels").Key("team"), "the owning team, used to tag the cluster"))
	}
	errs = append(errs, validateTags(c, p)...)
	errs = append(errs, validateACL(c.ControlPlaneACL, p.Child("controlPlaneAcl"))...)
	if c.NodePool != nil {
		warnings = append(warnings, field.Invalid(p.Child("nodePool"), "", "ignored because nodePools is set; move it into nodePools"))
	}
	errs = append(errs, validatePools(c.NodePools, p.Child("nodePools"))...)

	errs = append(errs, s.validateWorkloads()...)
	e, w := validateGatewayFabric(s.Components.GatewayFabric)
	return append(errs, e...), append(warnings, w...)
}

// validateKubernetesVersion refuses a version LKE does not offer on the
// claim's tier, naming those it does: LKE would refuse it only after the
// cluster's creation was tried.
func validateKubernetesVersion(c ClusterSpec, versions KubernetesVersions, p *field.Path) field.ErrorList {
	tier := cmp.Or(c.Tier, TierStandard)
	minor := c.KubernetesVersion
	if m := enterpriseBuild.FindStringSubmatch(minor); m != nil && tier == TierEnterprise {
		minor = m[1]
	} else if !k8sVersion.MatchString(minor) {
		return field.ErrorList{field.Invalid(p, c.KubernetesVersion, "must be major.minor, e.g. 1.36")}
	}
	if offered := versions[tier]; !slices.Contains(offered, minor) {
		return field.ErrorList{field.Invalid(p, c.KubernetesVersion, fmt.Sprintf(
			"LKE's %s tier offers %s (the function Input's defaults.kubernetesVersions.%s)", tier, strings.Join(offered, ", "), tier))}
	}
	return nil
}

func validateTags(c ClusterSpec, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	for _, k := range sorted.Keys(c.Labels) {
		tag := k + ":" + c.Labels[k]
		if len(tag) < minTag || len(tag) > maxTag {
			errs = append(errs, field.Invalid(p.Child("labels").Key(k), c.Labels[k],
				fmt.Sprintf("becomes the Linode tag %q, which must be %d-%d characters", tag, minTag, maxTag)))
		}
	}
	for i, t := range c.Tags {
		if len(t) < minTag || len(t) > maxTag {
			errs = append(errs, field.Invalid(p.Child("tags").Index(i), t, fmt.Sprintf("a Linode tag must be %d-%d characters", minTag, maxTag)))
		}
	}
	return errs
}

func validateACL(acl *ACL, p *field.Path) field.ErrorList {
	if acl == nil {
		return nil
	}
	var errs field.ErrorList
	for i, a := range acl.Addresses.IPv4 {
		if pf, err := netip.ParsePrefix(a); err != nil || !pf.Addr().Is4() {
			errs = append(errs, field.Invalid(p.Child("addresses", "ipv4").Index(i), a, "must be an IPv4 CIDR such as 203.0.113.0/24"))
		}
	}
	for i, a := range acl.Addresses.IPv6 {
		if pf, err := netip.ParsePrefix(a); err != nil || !pf.Addr().Is6() || pf.Addr().Is4In6() {
			errs = append(errs, field.Invalid(p.Child("addresses", "ipv6").Index(i), a, "must be an IPv6 CIDR such as 2001:db8::/32"))
		}
	}
	if acl.Enabled && len(acl.Addresses.IPv4)+len(acl.Addresses.IPv6) == 0 {
		errs = append(errs, field.Required(p.Child("addresses"),
			"an enabled ACL with no addresses blocks every client, including the Crossplane providers that install the add-ons; list at least the control plane's egress CIDR"))
	}
	return errs
}

func validatePools(pools []NodePool, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	if len(pools) > maxPools {
		errs = append(errs, field.TooMany(p, len(pools), maxPools))
	}
	seen := sets.New[string]()
	for i, np := range pools {
		pp := p.Index(i)
		switch {
		case np.Name == "":
			errs = append(errs, field.Required(pp.Child("name"), "each node pool needs a unique name"))
		case len(np.Name) > maxPoolName || !clusterLabel.MatchString(np.Name):
			errs = append(errs, field.Invalid(pp.Child("name"), np.Name, fmt.Sprintf("must be at most %d lowercase letters, digits or '-'", maxPoolName)))
		case seen.Has(np.Name):
			errs = append(errs, field.Duplicate(pp.Child("name"), np.Name))
		}
		seen.Insert(np.Name)
		if !nodeType.MatchString(np.Type) {
			errs = append(errs, field.Invalid(pp.Child("type"), np.Type, "must be a Linode instance type such as g6-standard-4"))
		}
		errs = append(errs, validateSize(np, pp)...)
		for _, k := range sorted.Keys(np.Labels) {
			for _, msg := range validation.IsQualifiedName(k) {
				errs = append(errs, field.Invalid(pp.Child("labels").Key(k), k, msg))
			}
			for _, msg := range validation.IsValidLabelValue(np.Labels[k]) {
				errs = append(errs, field.Invalid(pp.Child("labels").Key(k), np.Labels[k], msg))
			}
		}
		for j, t := range np.Taints {
			tp := pp.Child("taints").Index(j)
			for _, msg := range validation.IsQualifiedName(t.Key) {
				errs = append(errs, field.Invalid(tp.Child("key"), t.Key, msg))
			}
			if !slices.Contains(taintEffects, t.Effect) {
				errs = append(errs, field.NotSupported(tp.Child("effect"), t.Effect, taintEffects))
			}
		}
	}
	return errs
}

func validateSize(np NodePool, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	if np.Count != nil && (*np.Count < 1 || *np.Count > maxNodes) {
		errs = append(errs, field.Invalid(p.Child("count"), *np.Count, fmt.Sprintf("must be between 1 and %d", maxNodes)))
	}
	a := np.Autoscaler
	if a == nil {
		return errs
	}
	ap := p.Child("autoscaler")
	if a.Min < 1 || a.Min > maxNodes {
		errs = append(errs, field.Invalid(ap.Child("min"), a.Min, fmt.Sprintf("must be between 1 and %d", maxNodes)))
	}
	if a.Max < 1 || a.Max > maxNodes {
		errs = append(errs, field.Invalid(ap.Child("max"), a.Max, fmt.Sprintf("must be between 1 and %d", maxNodes)))
	}
	if a.Min > a.Max {
		errs = append(errs, field.Invalid(ap.Child("min"), a.Min, fmt.Sprintf("must not exceed autoscaler.max (%d)", a.Max)))
	}
	if np.Count != nil && a.Min <= a.Max && (*np.Count < a.Min || *np.Count > a.Max) {
		errs = append(errs, field.Invalid(p.Child("count"), *np.Count, fmt.Sprintf("must lie within the autoscaler's range %d-%d", a.Min, a.Max)))
	}
	return errs
}

func (s *Spec) validateWorkloads() field.ErrorList {
	var errs field.ErrorList
	seen := map[string]*field.Path{}
	add := func(name string, p *field.Path) {
		for _, msg := range validation.IsDNS1123Label(name) {
			errs = append(errs, field.Invalid(p, name, msg))
		}
		if _, dup := seen[name]; dup {
			errs = append(errs, field.Duplicate(p, name))
		}
		seen[name] = p
	}
	for i, w := range s.Workloads {
		p := root.Child("workloads").Index(i)
		add(w.Name, p.Child("name"))
		if len(w.Score) == 0 {
			errs = append(errs, field.Required(p.Child("score"), "a Score (score.dev/v1b1) workload spec"))
		}
	}
	if s.Components.UserApps != nil {
		p := root.Child("components", "userApps", "enabled")
		for i, name := range s.Components.UserApps.Enabled {
			add(name, p.Index(i))
		}
		if d := s.Components.UserApps.Domain; d != "" {
			for _, msg := range validation.IsDNS1123Subdomain(d) {
				errs = append(errs, field.Invalid(root.Child("components", "userApps", "domain"), d, msg))
			}
		}
	}
	return errs
}
