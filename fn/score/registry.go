package score

import (
	"fmt"
	"slices"
	"strings"

	"github.com/score-spec/score-go/framework"
	scoretypes "github.com/score-spec/score-go/types"
)

// provisioner provisions the resources of one type, and maybe one class and
// id, as one row of the registry.
type provisioner struct {
	// uri names the provisioner in messages: "builtin://<type>" or a
	// template provisioner's own uri.
	uri string
	typ string
	// class and id match only resources with that class or id when set;
	// nil matches any, as in score-k8s.
	class, id *string
	// params are the params the provisioner reads; any other is warned
	// about. checkParams is false when the provisioner does not declare
	// them (a template provisioner without supported_params).
	params      []string
	checkParams bool
	// sharable says a resource with an id is provisioned once, in
	// SharedNamespace, for every workload that declares it. Routes, service
	// ports and volumes belong to one workload by nature.
	sharable bool
	// idNamesTarget says the id is not a sharing key but names what the
	// resource points at (a `service` names another workload).
	idNamesTarget bool
	provision     func(w *workloadCtx, r *request) *provisioned
}

// request is one resource to provision, with its params already resolved.
type request struct {
	field, name string
	res         scoretypes.Resource
	params      map[string]any
	uid         framework.ResourceUid
	t           target
}

func (p *provisioner) matches(typ string, class, id *string) bool {
	if p.typ != typ {
		return false
	}
	if p.class != nil && classOf(class) != *p.class {
		return false
	}
	return p.id == nil || id != nil && *id == *p.id
}

// classOf is a resource's class; Score's default is "default".
func classOf(class *string) string {
	if class == nil {
		return "default"
	}
	return *class
}

// registry maps a resource's type, class and id to its provisioner: the
// platform's provisioners first, in the order given, then the built-in
// ones, so a platform overrides a built-in by declaring the same type.
type registry struct {
	rows []*provisioner
}

func newRegistry(platform []*provisioner) *registry {
	rows := make([]*provisioner, 0, len(platform)+len(builtins))
	rows = append(rows, platform...)
	rows = append(rows, builtins...)
	return &registry{rows: rows}
}

// find returns the first provisioner matching the resource, or nil.
func (r *registry) find(res scoretypes.Resource) *provisioner {
	for _, p := range r.rows {
		if p.matches(res.Type, res.Class, res.Id) {
			return p
		}
	}
	return nil
}

// unsupported explains why no provisioner matches res.
func (r *registry) unsupported(res scoretypes.Resource) string {
	for _, p := range r.rows {
		if p.typ == res.Type {
			return fmt.Sprintf("no provisioner for resource type %q with class %q and id %q", res.Type, classOf(res.Class), idOf(res.Id))
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
		ts = append(ts, p.typ)
	}
	slices.Sort(ts)
	return strings.Join(slices.Compact(ts), ", ")
}

// builtins are the provisioners this package brings, one row per type and
// class, with the output names score-k8s' default provisioners give.
var builtins = []*provisioner{
	{uri: "builtin://amqp", typ: "amqp", checkParams: true, sharable: true, provision: databaseProvisioner("amqp")},
	{uri: "builtin://dns", typ: "dns", checkParams: true, sharable: true, provision: (*workloadCtx).provisionDNS},
	{uri: "builtin://elasticsearch", typ: "elasticsearch", checkParams: true, sharable: true, provision: databaseProvisioner("elasticsearch")},
	{uri: "builtin://endpoint", typ: "endpoint", params: endpointParams, checkParams: true, idNamesTarget: true, provision: (*workloadCtx).provisionEndpoint},
	{uri: "builtin://environment", typ: "environment", checkParams: true, provision: (*workloadCtx).provisionEnvironment},
	{uri: "builtin://horizontal-pod-autoscaler", typ: "horizontal-pod-autoscaler", params: []string{hpaParamCPUUtil, hpaParamMax, hpaParamMin}, checkParams: true, provision: (*workloadCtx).provisionHPA},
	{uri: "builtin://kafka-topic", typ: "kafka-topic", checkParams: true, sharable: true, provision: (*workloadCtx).provisionKafkaTopic},
	{uri: "builtin://mongodb", typ: "mongodb", checkParams: true, sharable: true, provision: databaseProvisioner("mongodb")},
	{uri: "builtin://mssql", typ: "mssql", checkParams: true, sharable: true, provision: databaseProvisioner("mssql")},
	{uri: "builtin://mysql", typ: "mysql", checkParams: true, sharable: true, provision: databaseProvisioner("mysql")},
	{uri: "builtin://postgres", typ: "postgres", checkParams: true, sharable: true, provision: databaseProvisioner("postgres")},
	{uri: "builtin://postgres-instance", typ: "postgres-instance", checkParams: true, sharable: true, provision: databaseProvisioner("postgres-instance")},
	{uri: "builtin://redis", typ: "redis", checkParams: true, sharable: true, provision: databaseProvisioner("redis")},
	{uri: "builtin://route", typ: "route", params: []string{"host", "path", "port"}, checkParams: true, provision: (*workloadCtx).provisionRoute},
	{uri: "builtin://s3", typ: "s3", checkParams: true, sharable: true, provision: (*workloadCtx).provisionS3},
	{uri: "builtin://service", typ: "service", checkParams: true, idNamesTarget: true, provision: (*workloadCtx).provisionService},
	{uri: "builtin://service-port", typ: "service-port", params: []string{"port", "workload"}, checkParams: true, provision: (*workloadCtx).provisionServicePort},
	{uri: "builtin://volume#ephemeral", typ: "volume", class: ptr(classEphemeral), params: []string{"medium", "sizeLimit"}, checkParams: true, provision: (*workloadCtx).provisionEmptyDir},
	{uri: "builtin://volume", typ: "volume", params: []string{"accessMode", "size", "storageClassName"}, checkParams: true, provision: (*workloadCtx).provisionVolume},
}
