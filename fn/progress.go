package fn

import (
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/response"
)

// Progress is reported one way. Each thing the XR reports on (a component,
// a workload, a tenant's namespace) has a readiness; a group of them (the
// add-ons, the workloads, the DNS records, the certificates, the
// namespaces) is counted into a progress, and a progress sets one
// condition.

// readiness is one thing's: ready, or the first reason it is not.
type readiness struct {
	ready   bool
	message string
}

// pass marks it ready unless a reason it is not was given already.
func (r *readiness) pass() {
	if r.message == "" {
		r.ready = true
	}
}

// fail marks it not ready, for msg unless a reason was given already.
func (r *readiness) fail(msg string) {
	if r.message == "" {
		r.message = msg
	}
	r.ready = false
}

// progress is the readiness of a group, for a condition.
type progress struct {
	// total counts the group's members, composed or held back; pending
	// says what of it is not ready, in order.
	total   int
	pending []string
}

// add counts one member and, only when it is not ready, asks why.
func (g *progress) add(ready bool, why func() string) {
	g.total++
	if !ready {
		g.pending = append(g.pending, why())
	}
}

// addNamed counts a named member, pending as "name: why".
func (g *progress) addNamed(name string, r readiness) {
	g.add(r.ready, func() string { return name + ": " + r.message })
}

// condition sets the condition typ from the group's progress: True with
// done when nothing is pending, else False with reason and what is.
func (g *progress) condition(rsp *fnv1.RunFunctionResponse, typ, reason, done string) {
	if len(g.pending) == 0 {
		response.ConditionTrue(rsp, typ, "Available").WithMessage(done).TargetCompositeAndClaim()
		return
	}
	response.ConditionFalse(rsp, typ, reason).WithMessage(join(g.pending)).TargetCompositeAndClaim()
}
