// Package fn implements the function-platform-cluster composition function.
package fn

import (
	"context"
	"time"

	"google.golang.org/protobuf/types/known/durationpb"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/crossplane/function-sdk-go/errors"
	"github.com/crossplane/function-sdk-go/logging"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/request"
	"github.com/crossplane/function-sdk-go/resource"
	"github.com/crossplane/function-sdk-go/response"

	"github.com/platformcluster/function-platform-cluster/fn/addons"
	"github.com/platformcluster/function-platform-cluster/fn/compose"
	"github.com/platformcluster/function-platform-cluster/fn/lke"
	"github.com/platformcluster/function-platform-cluster/fn/observed"
	"github.com/platformcluster/function-platform-cluster/fn/settings"
	"github.com/platformcluster/function-platform-cluster/fn/spec"
	"github.com/platformcluster/function-platform-cluster/fn/storage"
	"github.com/platformcluster/function-platform-cluster/fn/workload"
)

// Condition types the function sets on the XR and its claim.
const (
	ConditionSpecValid      = "SpecValid"
	ConditionClusterReady   = "ClusterReady"
	ConditionAddonsReady    = "AddonsReady"
	ConditionWorkloadsReady = "WorkloadsReady"
	// ConditionDNSReady and ConditionCertificatesReady are set only on a
	// platform published under a domain, with DNS managed and with TLS.
	ConditionDNSReady          = "DNSReady"
	ConditionCertificatesReady = "CertificatesReady"
)

// settlingTTL is how soon Crossplane calls the function again while the
// platform is still coming up or changing: something is held back for a
// prerequisite, or something composed is not ready yet. With realtime
// compositions (on by default in Crossplane v2) the XR is requeued after
// the response's TTL, so the default minute would pace every stage at a
// minute; once everything is ready the default applies again.
const settlingTTL = 15 * time.Second

// internalError starts the Fatal result of a recovered panic.
const internalError = "internal error composing the platform"

// Function composes an XPlatformCluster.
type Function struct {
	fnv1.UnimplementedFunctionRunnerServiceServer

	log   logging.Logger
	score *workload.Cache
}

// An Option configures a Function.
type Option func(*Function)

// WithScoreCacheBytes bounds the Score conversion cache (workload.Cache)
// to n bytes; 0 turns it off.
func WithScoreCacheBytes(n int64) Option {
	return func(f *Function) { f.score = workload.NewCache(n) }
}

// New returns a Function that logs to log.
func New(log logging.Logger, opts ...Option) *Function {
	f := &Function{log: log, score: workload.NewCache(workload.DefaultCacheBytes)}
	for _, o := range opts {
		o(f)
	}
	return f
}

// RunFunction composes the platform. It never panics on bad input: every
// problem becomes a Fatal or Warning result naming the field at fault.
func (f *Function) RunFunction(_ context.Context, req *fnv1.RunFunctionRequest) (rsp *fnv1.RunFunctionResponse, err error) {
	rsp = response.To(req, response.DefaultTTL)
	defer func() {
		// A bug must cost one reconcile of one claim, not the function
		// process that serves every claim.
		if r := recover(); r != nil {
			f.log.Info("recovered from panic", "panic", r)
			response.Fatal(rsp, errors.Errorf("%s (please report it): %v", internalError, r))
			err = nil
		}
	}()
	if err := f.compose(req, rsp); err != nil {
		response.Fatal(rsp, err)
	}
	return rsp, nil
}

// state is what the request says about the XR, read once.
type state struct {
	observedXR, desiredXR *resource.Composite
	// desired starts as what earlier pipeline steps desired, so they
	// compose alongside this function.
	desired map[resource.Name]*resource.DesiredComposed
}

// compose runs one reconcile into rsp. An error is Fatal.
func (f *Function) compose(req *fnv1.RunFunctionRequest, rsp *fnv1.RunFunctionResponse) error {
	in, err := decodeInput(req)
	if err != nil {
		return errors.Wrap(err, "invalid function input in the Composition")
	}
	set, err := settings.Resolve(in)
	if err != nil {
		return err
	}
	st, err := readState(req)
	if err != nil {
		return err
	}
	if st.observedXR.Resource.GetKind() == KindTenant {
		return f.composeTenant(req, rsp, set, st)
	}
	obs := observed.State(req.GetObserved().GetResources())
	s, err := f.validSpec(st.observedXR, set, obs, rsp)
	if err != nil {
		return err
	}
	xr := st.observedXR.Resource
	c := composition{
		spec:     s,
		settings: set,
		owner: compose.Owner{
			XR: xr.GetName(), Cluster: s.ClusterSpec.ClusterName,
			Labels: compose.InheritedLabels(xr.GetLabels()),
		},
		claimTag:          storage.ClaimTag(xr.GetLabels()[claimNamespaceLabel], xr.GetLabels()[claimNameLabel], xr.GetName()),
		workloadNamespace: workloadNamespace(set, xr.GetLabels()),
		observed:          obs,
		fetched:           readFetched(req, s, set),
	}
	c.gatewayAPICRDs, _ = xr.GetString("status." + addons.CRDsStatusField)
	p := plan(c, f.score)
	rsp.Requirements = requirements(s, set, c.owner.XR, c.workloadNamespace)
	if err := p.respond(st, rsp); err != nil {
		return err
	}
	if p.settling() {
		rsp.Meta.Ttl = durationpb.New(settlingTTL)
	}
	f.log.Debug("Composed platform",
		"xr", c.owner.XR,
		"composed", len(p.resources),
		"clusterReady", p.cluster.ready,
		"waiting", p.waiting,
		"warnings", len(p.warnings))
	return nil
}

func readState(req *fnv1.RunFunctionRequest) (state, error) {
	oxr, err := request.GetObservedCompositeResource(req)
	if err != nil {
		return state{}, errors.Wrap(err, "cannot read the observed XR")
	}
	dxr, err := request.GetDesiredCompositeResource(req)
	if err != nil {
		return state{}, errors.Wrap(err, "cannot read the desired XR")
	}
	desired, err := request.GetDesiredComposedResources(req)
	if err != nil {
		return state{}, errors.Wrap(err, "cannot read desired composed resources")
	}
	return state{observedXR: oxr, desiredXR: dxr, desired: desired}, nil
}

// validSpec decodes, defaults and validates the XR's spec, and reports the
// outcome as the SpecValid condition and warnings.
func (f *Function) validSpec(xr *resource.Composite, set settings.Settings, obs observed.State, rsp *fnv1.RunFunctionResponse) (*spec.Spec, error) {
	raw, _ := xr.Resource.Object["spec"].(map[string]any)
	s, errs := spec.Decode(raw)
	var warnings field.ErrorList
	if len(errs) == 0 {
		s.ApplyDefaults(set.Defaults)
		errs, warnings = s.Validate(set.Regions, set.KubernetesVersions)
		errs = append(errs, checkZone(s, set)...)
	}
	if len(errs) == 0 {
		// Pools are arranged only once the spec is valid: their names are
		// then unique.
		errs = lke.ArrangePools(&s.ClusterSpec, observedPools(obs, &s.ClusterSpec), field.NewPath("spec", "clusterSpec", "nodePools"))
	}
	if len(errs) > 0 {
		msg := joinErrors(errs)
		response.ConditionFalse(rsp, ConditionSpecValid, "InvalidSpec").WithMessage(msg).TargetCompositeAndClaim()
		f.log.Info("Rejected invalid XPlatformCluster", "xr", xr.Resource.GetName(), "errors", len(errs))
		return nil, errors.New("invalid XPlatformCluster: " + msg)
	}
	for _, w := range warnings {
		response.Warning(rsp, errors.New(w.Error())).TargetCompositeAndClaim()
	}
	response.ConditionTrue(rsp, ConditionSpecValid, "ValidSpec").TargetCompositeAndClaim()
	return s, nil
}

// respond writes the composed resources, the XR's status and the
// conditions into rsp.
func (p *platform) respond(st state, rsp *fnv1.RunFunctionResponse) error {
	if err := p.setDesired(st, rsp); err != nil {
		return err
	}
	if err := p.writeStatus(st.desiredXR); err != nil {
		return errors.Wrap(err, "cannot write XR status")
	}
	if err := response.SetDesiredCompositeResource(rsp, st.desiredXR); err != nil {
		return errors.Wrap(err, "cannot set desired XR")
	}
	p.setConditions(rsp)
	return nil
}

// setDesired writes the warnings and the composed resources into rsp.
func (p *platform) setDesired(st state, rsp *fnv1.RunFunctionResponse) error {
	for _, w := range p.warnings {
		response.Warning(rsp, errors.New(w)).TargetCompositeAndClaim()
	}
	for _, r := range p.resources {
		d := resource.NewDesiredComposed()
		d.Resource.SetUnstructuredContent(r.Object)
		d.Ready = resource.ReadyFalse
		if r.ready {
			d.Ready = resource.ReadyTrue
		}
		st.desired[resource.Name(r.Key)] = d
	}
	if err := response.SetDesiredComposedResources(rsp, st.desired); err != nil {
		return errors.Wrap(err, "cannot set desired composed resources")
	}
	return nil
}
