package workload

import (
	"fmt"
	"strings"

	"github.com/platformcluster/function-platform-cluster/fn/compose"
	"github.com/platformcluster/function-platform-cluster/fn/score"
)

// Generator composes the credential generator for Secrets an add-on needs
// on the new cluster (Harbor's keys), the same Job that generates Score
// resources' credentials: it creates each Secret only if it is missing, so
// values never rotate across reconciles or upgrades, and no value is ever
// in a composed resource. All secrets must be in one namespace and belong
// to one resource. It returns the Objects and the composition resource
// name of the Job, whose readiness is the Job's success.
func Generator(o compose.Owner, prefix, image string, secrets []score.GeneratedSecret, component string) ([]compose.Resource, string, error) {
	gens, problems := groupSecrets(secrets)
	if len(problems) > 0 {
		return nil, "", fmt.Errorf("%s", strings.Join(problems, "; "))
	}
	if len(gens) != 1 {
		return nil, "", fmt.Errorf("%d generators for %d secrets: all must belong to one resource", len(gens), len(secrets))
	}
	g := gens[0]
	var out []compose.Resource
	job := ""
	for _, m := range generatorManifests.manifests(g, image) {
		r := wrap(o, prefix, g.namespace(), m, component)
		if m["kind"] == "Job" {
			job = r.Key
		}
		out = append(out, r)
	}
	return out, job, nil
}
