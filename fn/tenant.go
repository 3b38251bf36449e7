package fn

import (
	"cmp"
	"fmt"

	"google.golang.org/protobuf/types/known/durationpb"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/crossplane/function-sdk-go/errors"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/response"

	"github.com/platformcluster/function-platform-cluster/fn/compose"
	"github.com/platformcluster/function-platform-cluster/fn/observed"
	"github.com/platformcluster/function-platform-cluster/fn/publish"
	"github.com/platformcluster/function-platform-cluster/fn/settings"
	"github.com/platformcluster/function-platform-cluster/fn/sorted"
	"github.com/platformcluster/function-platform-cluster/fn/spec"
	"github.com/platformcluster/function-platform-cluster/fn/tenant"
	"github.com/platformcluster/function-platform-cluster/fn/tenantspec"
)

// KindTenant is the XR kind of a PlatformTenant claim; every other kind is
// composed as a platform.
const KindTenant = "XPlatformTenant"

// Labels Crossplane sets on an XR bound to a claim, and on what it
// composes.
const (
	claimNameLabel = "crossplane.io/claim-name"
	compositeLabel = "crossplane.io/composite"
)

// ConditionNamespacesReady says whether a tenant's namespaces and their
// policies are in place.
const ConditionNamespacesReady = "NamespacesReady"

// tenancy is one tenant's composition: what it asks for, the platform it
// lives on as Crossplane fetched it, and the settings.
type tenancy struct {
	spec     *tenantspec.Spec
	settings settings.Settings
	// name is the tenant's (its claim's) name; id labels its namespaces.
	name, id string
	platform *tenant.Platform
	// host is the tenant's host, "" until the platform is found or when
	// neither it nor the Input has a domain.
	host string
	// holders says who holds the Objects of the tenant's namespaces and
	// host on the platform, by required-resource key.
	holders  map[string]holder
	observed observed.State
}

// composeTenant runs one reconcile of an XPlatformTenant into rsp.
func (f *Function) composeTenant(req *fnv1.RunFunctionRequest, rsp *fnv1.RunFunctionResponse, set settings.Settings, st state) error {
	xr := st.observedXR.Resource
	labels := xr.GetLabels()
	name := cmp.Or(labels[claimNameLabel], xr.GetName())
	raw, _ := xr.Object["spec"].(map[string]any)
	s, errs := spec.DecodeAs[tenantspec.Spec](raw)
	t := tenancy{
		spec: s, settings: set, name: name,
		id:       tenantID(labels[claimNamespaceLabel], name),
		observed: observed.State(req.GetObserved().GetResources()),
	}
	if len(errs) == 0 {
		s.ApplyDefaults(name, labels[claimNamespaceLabel])
		errs = s.Validate(set.Tenancy.Reserved)
		t.platform, t.holders = readPlatform(req), readHolders(req, s)
		if t.platform != nil {
			t.host = tenantHost(t)
		}
		rsp.Requirements = tenantRequirements(s, t.platform, t.host)
		errs = append(errs, t.checkNamespaces(xr.GetName())...)
		errs = append(errs, t.checkHost(xr.GetName())...)
	}
	if len(errs) > 0 {
		msg := joinErrors(errs)
		response.ConditionFalse(rsp, ConditionSpecValid, "InvalidSpec").WithMessage(msg).TargetCompositeAndClaim()
		return errors.New("invalid XPlatformTenant: " + msg)
	}
	response.ConditionTrue(rsp, ConditionSpecValid, "ValidSpec").TargetCompositeAndClaim()
	owner := compose.Owner{XR: xr.GetName(), Cluster: s.ClusterRef.Name, Labels: compose.InheritedLabels(labels)}
	p := planTenant(t, owner, f.score)
	if err := p.respond(st, rsp); err != nil {
		return err
	}
	if p.settling() {
		rsp.Meta.Ttl = durationpb.New(settlingTTL)
	}
	f.log.Debug("Composed tenant", "xr", xr.GetName(), "composed", len(p.resources), "waiting", p.waiting)
	return nil
}

// checkNamespaces refuses a namespace another tenant holds on the same
// platform, or that one of the platform's own workloads runs in. Only
// known once the platform is found; until then nothing is composed in any
// namespace.
func (t tenancy) checkNamespaces(self string) field.ErrorList {
	if t.platform == nil {
		return nil
	}
	var errs field.ErrorList
	for i, ns := range t.spec.Namespaces {
		p := field.NewPath("spec", "namespaces").Index(i)
		if why, ok := t.platform.Workloads[ns]; ok {
			errs = append(errs, field.Forbidden(p, "namespace "+ns+" belongs to "+why))
		}
		if h, ok := t.holders[namespaceRequirement(ns)]; ok && h.xr != self {
			errs = append(errs, field.Forbidden(p, fmt.Sprintf("namespace %s on PlatformCluster %s belongs to %s", ns, t.platform.Claim, h.who)))
		}
	}
	return errs
}

// checkHost refuses a host outside the platform's domain, one that
// overlaps a host the platform publishes, or one another tenant holds: the
// host decides which routes the tenant may compose.
func (t tenancy) checkHost(self string) field.ErrorList {
	if t.platform == nil || t.host == "" {
		return nil
	}
	p := field.NewPath("spec", "host")
	what := t.host
	if t.spec.Host == "" {
		what += " (the default, <tenant>.<domain>)"
	}
	if d := t.platform.Domain; d != "" && (t.host == d || !publish.Under(t.host, d)) {
		return field.ErrorList{field.Invalid(p, what, "must be under the platform's domain "+d+", not the domain itself")}
	}
	var errs field.ErrorList
	for _, h := range sorted.Keys(t.platform.Hosts) {
		if publish.Under(h, t.host) || publish.Under(t.host, h) {
			errs = append(errs, field.Forbidden(p, "host "+what+" overlaps "+h+", where the platform publishes "+t.platform.Hosts[h]))
		}
	}
	if h, ok := t.holders[hostRequirement]; ok && h.xr != self {
		errs = append(errs, field.Forbidden(p, fmt.Sprintf("host %s on PlatformCluster %s belongs to %s; set spec.host", what, t.platform.Claim, h.who)))
	}
	return errs
}

// tenantID labels a tenant's namespaces: "<claim namespace>.<claim name>",
// cut and ended with a hash of the whole when longer than a label value's
// 63 characters.
func tenantID(claimNS, name string) string {
	return compose.Shorten(cmp.Or(claimNS, "cluster")+"."+name, maxLabelValue, "-.")
}

// maxLabelValue is the longest a Kubernetes label value may be.
const maxLabelValue = 63
