package score

import (
	"fmt"
	"strings"

	"github.com/score-spec/score-go/loader"
	scoreschema "github.com/score-spec/score-go/schema"
	scoretypes "github.com/score-spec/score-go/types"
	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/platformcluster/function-platform-cluster/fn/sorted"
)

// reservedNamespaces may not be workload names: composing a Namespace
// object for one of them would hand the cluster's own namespace to
// Crossplane, which deletes what it composes.
var reservedNamespaces = map[string]bool{
	"default":         true,
	"kube-system":     true,
	"kube-public":     true,
	"kube-node-lease": true,
	SharedNamespace:   true,
}

// parsed is a workload whose spec passed validation.
type parsed struct {
	name   string // Kubernetes name and namespace
	source string
	spec   scoretypes.Workload
	// metadata is the spec's metadata as normalised JSON values, for
	// ${metadata...} placeholders.
	metadata map[string]any
	// deploy is what the deployer gives at deploy time.
	deploy Deploy
}

// parseWorkload validates w and decodes it into score-go's types. Problems
// go to d, which is created here because the workload's name is only known
// once the spec is read.
func parseWorkload(w Workload) (*parsed, *diags) {
	d := &diags{workload: w.Name, source: w.Source}
	if w.Spec == nil {
		d.fatal("", "the Score spec is empty")
		return nil, d
	}
	norm, err := normalize(w.Spec, "")
	if err != nil {
		d.fatalErr(err)
		return nil, d
	}
	doc := norm.(map[string]any)
	if d.workload == "" {
		d.workload = metadataName(doc)
	}
	if fe := checkAPIVersion(doc); fe != nil {
		d.fatalErr(fe)
		return nil, d
	}
	for _, fe := range checkDeprecatedArrays(doc) {
		d.fatalErr(fe)
	}
	if d.hasFatal() {
		return nil, d
	}
	changes, err := scoreschema.ApplyCommonUpgradeTransforms(doc)
	if err != nil {
		d.fatal("", "cannot upgrade deprecated fields: %v", err)
		return nil, d
	}
	for _, c := range changes {
		field, msg, _ := strings.Cut(c, ": ")
		d.warn(field, "deprecated form, %s automatically; update the Score file", msg)
	}
	for _, fe := range validateSchema(doc) {
		d.fatalErr(fe)
	}
	if d.hasFatal() {
		return nil, d
	}

	p := &parsed{source: w.Source, deploy: w.Deploy}
	if err := loader.MapSpec(&p.spec, doc); err != nil {
		d.fatal("", "cannot decode the spec: %v", err)
		return nil, d
	}
	p.metadata, _ = doc["metadata"].(map[string]any)

	p.name = w.Name
	if p.name == "" {
		p.name = metadataName(doc)
	}
	d.workload = p.name
	if errs := validation.IsDNS1123Label(p.name); len(errs) > 0 {
		d.fatal("", "workload name %q cannot be a Kubernetes namespace: %s", p.name, strings.Join(errs, "; "))
		return nil, d
	}
	if reservedNamespaces[p.name] {
		d.fatal("", "workload name %q is reserved: it is the namespace %s", p.name, reservedWhy(p.name))
		return nil, d
	}
	for _, cname := range sortedKeys(p.spec.Containers) {
		if len(p.spec.Containers[cname].Before) > 0 {
			d.warn(fmt.Sprintf("containers.%s.before", cname),
				"start ordering is not supported; all containers of the pod start together")
		}
	}
	return p, d
}

func reservedWhy(name string) string {
	if name == SharedNamespace {
		return "of shared resources"
	}
	return "of the cluster itself"
}

func metadataName(doc map[string]any) string {
	md, _ := doc["metadata"].(map[string]any)
	n, _ := md["name"].(string)
	return n
}

func sortedKeys[M ~map[K]V, K ~string, V any](m M) []K { return sorted.Keys(m) }
