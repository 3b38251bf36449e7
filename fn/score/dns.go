package score

import (
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/platformcluster/function-platform-cluster/fn/score/provision"
)

// provisionDNS outputs host, "<workload>-<resource>.<domain>", or
// "<id>.<domain>" when shared, and url, as the community dns-with-url
// provisioner: "http://<host>:80", or "https://<host>" when the platform
// serves the domain over HTTPS (the origin a browser sends). score-k8s draws a random name once and keeps it
// in its state file; a composition function has no such state, so the name
// must follow from the spec alone.
func (w *workloadCtx) provisionDNS(r *provision.Request) *provision.Result {
	field, t := r.Field, r.Target
	if w.c.domainErr != "" {
		w.d.fatal(field, "%s", w.c.domainErr)
		return provision.FailedResult("dns")
	}
	host := t.Label + "." + w.c.domain
	if errs := validation.IsDNS1123Subdomain(host); len(errs) > 0 {
		w.d.fatal(field, "the host %q is not a valid DNS name: %s", host, strings.Join(errs, "; "))
		return provision.FailedResult("dns")
	}
	url := "http://" + host + ":80"
	if w.c.opts.HTTPS {
		url = "https://" + host
	}
	return &provision.Result{Outputs: map[string]provision.Output{"host": provision.Plain(host), "url": provision.Plain(url)}}
}
