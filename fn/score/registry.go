package score

import (
	"fmt"
	"slices"
	"strings"

	scoretypes "github.com/score-spec/score-go/types"

	"github.com/platformcluster/function-platform-cluster/fn/score/backing"
	"github.com/platformcluster/function-platform-cluster/fn/score/provision"
)

// builtin is one of the converter's own provisioners. They read the whole
// conversion (other workloads' Services, the claim's values), which no
// other provisioner may, so they are given the workload's context itself.
type builtin struct {
	spec      provision.Spec
	provision func(w *workloadCtx, r *provision.Request) *provision.Result
}

func (b *builtin) Spec() provision.Spec { return b.spec }

func (b *builtin) Provision(ctx provision.Context, r *provision.Request) *provision.Result {
	return b.provision(ctx.(*workloadCtx), r)
}

// registry maps a resource's type, class and id to its provisioner: the
// platform's provisioners first, in the order given, then the built-in
// ones, so a platform overrides a built-in by declaring the same type.
type registry struct {
	rows []row
}

// row is a provisioner with its Spec, read once.
type row struct {
	provision.Spec
	provision.Provisioner
}

func newRegistry(platform []provision.Provisioner) *registry {
	rows := make([]row, 0, len(platform)+len(builtins)+len(backingServices))
	for _, p := range platform {
		rows = append(rows, row{p.Spec(), p})
	}
	for _, p := range builtins {
		rows = append(rows, row{p.spec, p})
	}
	for _, p := range backingServices {
		rows = append(rows, row{p.Spec(), p})
	}
	return &registry{rows: rows}
}

// find returns the first provisioner matching the resource, or nil.
func (r *registry) find(res scoretypes.Resource) *row {
	for i := range r.rows {
		if r.rows[i].Matches(res.Type, res.Class, res.Id) {
			return &r.rows[i]
		}
	}
	return nil
}

// unsupported explains why no provisioner matches res.
func (r *registry) unsupported(res scoretypes.Resource) string {
	for _, p := range r.rows {
		if p.Type == res.Type {
			return fmt.Sprintf("no provisioner for resource type %q with class %q and id %q", res.Type, provision.ClassOf(res.Class), idOf(res.Id))
		}
	}
	return fmt.Sprintf("unsupported resource type %q; supported: %s", res.Type, r.types())
}

func idOf(id *string) string {
	if id == nil {
		return ""
	}
	return *id
}

// types lists every type some provisioner serves, sorted, for messages.
func (r *registry) types() string {
	var ts []string
	for _, p := range r.rows {
		ts = append(ts, p.Type)
	}
	slices.Sort(ts)
	return strings.Join(slices.Compact(ts), ", ")
}

// backingServices are the built-in types that stand up a service of their
// own (fn/score/backing).
var backingServices = backing.Provisioners()

// builtins are the provisioners this package brings, one row per type and
// class, with the output names score-k8s' default provisioners give.
var builtins = []*builtin{
	{spec: provision.Spec{URI: "builtin://dns", Type: "dns", CheckParams: true, Sharable: true}, provision: (*workloadCtx).provisionDNS},
	{spec: provision.Spec{URI: "builtin://endpoint", Type: "endpoint", Params: endpointParams, CheckParams: true, IDNamesTarget: true}, provision: (*workloadCtx).provisionEndpoint},
	{spec: provision.Spec{URI: "builtin://environment", Type: "environment", CheckParams: true}, provision: (*workloadCtx).provisionEnvironment},
	{spec: provision.Spec{URI: "builtin://horizontal-pod-autoscaler", Type: "horizontal-pod-autoscaler", Params: []string{hpaParamCPUUtil, hpaParamMax, hpaParamMin}, CheckParams: true}, provision: (*workloadCtx).provisionHPA},
	{spec: provision.Spec{URI: "builtin://route", Type: "route", Params: []string{"host", "path", "port"}, CheckParams: true}, provision: (*workloadCtx).provisionRoute},
	{spec: provision.Spec{URI: "builtin://service", Type: "service", CheckParams: true, IDNamesTarget: true}, provision: (*workloadCtx).provisionService},
	{spec: provision.Spec{URI: "builtin://service-port", Type: "service-port", Params: []string{"port", "workload"}, CheckParams: true}, provision: (*workloadCtx).provisionServicePort},
	{spec: provision.Spec{URI: "builtin://volume#ephemeral", Type: "volume", Class: new(classEphemeral), Params: []string{"medium", "sizeLimit"}, CheckParams: true}, provision: (*workloadCtx).provisionEmptyDir},
	{spec: provision.Spec{URI: "builtin://volume", Type: "volume", Params: []string{"accessMode", "size", "storageClassName"}, CheckParams: true}, provision: (*workloadCtx).provisionVolume},
}
