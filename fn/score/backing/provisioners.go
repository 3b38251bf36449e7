// Package backing provisions the backing services that Score's built-in
// resource types stand up next to their workloads: databases
// (database.go), Kafka topics on a broker (kafka.go) and S3 stores
// (s3.go), each a single-replica StatefulSet with its Service
// (backing.go). They need nothing from the conversion but the resource's
// target, so they sit behind provision.Provisioner on their own.
package backing

import (
	"github.com/platformcluster/function-platform-cluster/fn/score/provision"
	"github.com/platformcluster/function-platform-cluster/fn/sorted"
)

// provisioner serves one resource type, sharable by id, with no params.
type provisioner struct {
	typ       string
	provision func(r *provision.Request) *provision.Result
}

func (p *provisioner) Spec() provision.Spec {
	return provision.Spec{URI: "builtin://" + p.typ, Type: p.typ, CheckParams: true, Sharable: true}
}

func (p *provisioner) Provision(_ provision.Context, r *provision.Request) *provision.Result {
	return p.provision(r)
}

// Provisioners are the backing services' provisioners, one per type.
func Provisioners() []provision.Provisioner {
	out := []provision.Provisioner{
		&provisioner{typ: "kafka-topic", provision: provisionKafkaTopic},
		&provisioner{typ: "s3", provision: provisionS3},
	}
	for _, typ := range sorted.Keys(databases) {
		out = append(out, &provisioner{typ: typ, provision: databaseProvisioner(typ)})
	}
	return out
}
