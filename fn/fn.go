// Package fn implements the function-platform-cluster composition function.
package fn

import (
	"context"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/crossplane/function-sdk-go/errors"
	"github.com/crossplane/function-sdk-go/logging"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/request"
	"github.com/crossplane/function-sdk-go/resource"
	"github.com/crossplane/function-sdk-go/response"

	"github.com/platformcluster/function-platform-cluster/fn/addons"
	"github.com/platformcluster/function-platform-cluster/fn/observed"
	"github.com/platformcluster/function-platform-cluster/fn/settings"
	"github.com/platformcluster/function-platform-cluster/fn/spec"
	"github.com/platformcluster/function-platform-cluster/fn/workload"
)

// Condition types the function sets on the XR and its claim.
const (
	ConditionSpecValid      = "SpecValid"
	ConditionClusterReady   = "ClusterReady"
	ConditionAddonsReady    = "AddonsReady"
	ConditionWorkloadsReady = "WorkloadsReady"
)

// internalError starts the Fatal result of a recovered panic.
const internalError = "internal error composing the platform"

// Function composes an XPlatformCluster.
type Function struct {
	fnv1.UnimplementedFunctionRunnerServiceServer

	log   logging.Logger
	score *workload.Converter
}

// New returns a Function that logs to log.
func New(log logging.Logger) *Function {
	return &Function{log: log, score: workload.NewConverter()}
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

	in, err := decodeInput(req)
	if err != nil {
		response.Fatal(rsp, errors.Wrap(err, "invalid function input in the Composition"))
		return rsp, nil
	}
	set, err := settings.Resolve(in)
	if err != nil {
		response.Fatal(rsp, err)
		return rsp, nil
	}

	oxr, err := request.GetObservedCompositeResource(req)
	if err != nil {
		response.Fatal(rsp, errors.Wrap(err, "cannot read the observed XR"))
		return rsp, nil
	}
	dxr, err := request.GetDesiredCompositeResource(req)
	if err != nil {
		response.Fatal(rsp, errors.Wrap(err, "cannot read the desired XR"))
		return rsp, nil
	}
	// Start from what earlier pipeline steps desired, so they compose
	// alongside this function.
	desired, err := request.GetDesiredComposedResources(req)
	if err != nil {
		response.Fatal(rsp, errors.Wrap(err, "cannot read desired composed resources"))
		return rsp, nil
	}

	rawSpec, _ := oxr.Resource.Object["spec"].(map[string]any)
	s, errs := spec.Decode(rawSpec)
	var warnings field.ErrorList
	if len(errs) == 0 {
		s.ApplyDefaults(set.Defaults)
		errs, warnings = s.Validate(set.Regions)
	}
	if len(errs) > 0 {
		msg := describe(errs)
		response.ConditionFalse(rsp, ConditionSpecValid, "InvalidSpec").WithMessage(msg).TargetCompositeAndClaim()
		f.log.Info("Rejected invalid XPlatformCluster", "xr", oxr.Resource.GetName(), "errors", len(errs))
		response.Fatal(rsp, errors.New("invalid XPlatformCluster: "+msg))
		return rsp, nil
	}
	for _, w := range warnings {
		response.Warning(rsp, errors.New(w.Error())).TargetCompositeAndClaim()
	}
	response.ConditionTrue(rsp, ConditionSpecValid, "ValidSpec").TargetCompositeAndClaim()

	p := plan(s, set, oxr, observed.FromRequest(req), req, f.score)
	// Returned on every call: Crossplane fetches only what the latest
	// response requires.
	rsp.Requirements = requirements(s, set, oxr)
	for _, w := range p.warnings {
		response.Warning(rsp, errors.New(w)).TargetCompositeAndClaim()
	}
	for _, r := range p.resources {
		d := resource.NewDesiredComposed()
		d.Resource.SetUnstructuredContent(r.Object)
		d.Ready = resource.ReadyFalse
		if r.Ready {
			d.Ready = resource.ReadyTrue
		}
		desired[resource.Name(r.Key)] = d
	}
	if err := response.SetDesiredComposedResources(rsp, desired); err != nil {
		response.Fatal(rsp, errors.Wrap(err, "cannot set desired composed resources"))
		return rsp, nil
	}
	addons.FillCRDManifests(rsp.GetDesired().GetResources())

	if err := p.writeStatus(dxr); err != nil {
		response.Fatal(rsp, errors.Wrap(err, "cannot write XR status"))
		return rsp, nil
	}
	if err := response.SetDesiredCompositeResource(rsp, dxr); err != nil {
		response.Fatal(rsp, errors.Wrap(err, "cannot set desired XR"))
		return rsp, nil
	}
	p.setConditions(rsp)
	f.log.Debug("Composed platform",
		"xr", oxr.Resource.GetName(),
		"composed", len(p.resources),
		"clusterReady", p.cluster.ready,
		"waiting", p.waiting,
		"warnings", len(p.warnings))
	return rsp, nil
}

// describe joins field errors into one message, one error per line.
func describe(errs field.ErrorList) string {
	msgs := make([]string, 0, len(errs))
	for _, e := range errs {
		msgs = append(msgs, e.Error())
	}
	return strings.Join(msgs, "; ")
}
