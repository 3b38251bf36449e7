package score

import (
	"cmp"
	"fmt"
	"reflect"
	"strings"

	"github.com/score-spec/score-go/framework"
	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/platformcluster/function-platform-cluster/fn/score/manifest"
	"github.com/platformcluster/function-platform-cluster/fn/score/provision"
	"github.com/platformcluster/function-platform-cluster/fn/score/template"
)

// converter holds the state of one Convert call.
type converter struct {
	opts   Options
	reg    *registry
	domain string
	// domainErr explains why Options.Domain is unusable; dns resources are
	// Fatal then.
	domainErr string
	ctxs      map[string]*workloadCtx
	shared    map[framework.ResourceUid]*sharedResource
	// failed are the diags of workloads that never got a context.
	failed []*diags
	// unconverted are workloads of the claim that never got a context:
	// unreadable (Options.Unread) or unparsable.
	unconverted map[string]bool
}

// workloadCtx is the conversion state of one workload.
type workloadCtx struct {
	c        *converter
	p        *parsed
	d        *diags
	ns       string
	svc      *serviceInfo
	resolver *resolver
	// kind is the workload's kind, Deployment or StatefulSet.
	kind string
	// resources memoises provisioning; nil marks one being provisioned.
	resources map[string]*provision.Result
	manifests []Manifest
	secrets   []GeneratedSecret
	url       string
	// deps are the workloads this one depends on (service resources), by
	// name, with the field that names each; failedDeps those that did not
	// convert.
	deps       map[string]string
	failedDeps []string
}

// Convert converts Score workloads into Kubernetes manifests. It never
// panics: whatever is wrong with the input becomes a Problem, and a Fatal
// problem drops only the workload it belongs to.
func Convert(ws []Workload, opts Options) (out Output) {
	defer func() {
		if r := recover(); r != nil {
			out = Output{Problems: []Problem{{
				Severity: SeverityFatal,
				Message:  fmt.Sprintf("internal error converting Score workloads (please report it): %v", r),
			}}}
		}
	}()
	c := &converter{
		opts:        opts,
		ctxs:        map[string]*workloadCtx{},
		shared:      map[framework.ResourceUid]*sharedResource{},
		unconverted: map[string]bool{},
	}
	for _, n := range opts.Unread {
		c.unconverted[n] = true
	}
	c.reg = newRegistry(c.platformProvisioners())
	c.setDomain()
	c.parseAll(ws)
	c.registerShared()
	for _, name := range sortedKeys(c.ctxs) {
		c.convertSafely(c.ctxs[name])
	}
	return c.output()
}

// platformProvisioners are the platform's template provisioners for this
// conversion; those that cannot match anything are warned about.
func (c *converter) platformProvisioners() []provision.Provisioner {
	ps, problems := template.New(c.opts.Provisioners)
	if len(problems) > 0 {
		d := &diags{}
		for _, p := range problems {
			d.warn(p.Field, "%s", p.Message)
		}
		c.failed = append(c.failed, d)
	}
	return ps
}

func (c *converter) setDomain() {
	c.domain = strings.TrimSuffix(c.opts.Domain, ".")
	if c.domain == "" {
		c.domain = "localhost"
	}
	if errs := validation.IsDNS1123Subdomain(c.domain); len(errs) > 0 {
		c.domainErr = fmt.Sprintf("the platform's dns domain %q is invalid: %s", c.opts.Domain, strings.Join(errs, "; "))
	}
}

// parseAll parses every workload and sets up a context for each valid one.
// Two inputs with one name would share a namespace, so both are Fatal.
func (c *converter) parseAll(ws []Workload) {
	byName := map[string][]*workloadCtx{}
	var order []string
	for _, w := range ws {
		p, d := safeParse(w)
		if p == nil {
			c.failed = append(c.failed, d)
			c.unconverted[cmp.Or(w.Name, d.workload)] = true
			continue
		}
		if _, seen := byName[p.name]; !seen {
			order = append(order, p.name)
		}
		byName[p.name] = append(byName[p.name], &workloadCtx{c: c, p: p, d: d})
	}
	for _, name := range order {
		group := byName[name]
		if len(group) > 1 {
			sources := make([]string, len(group))
			for i, w := range group {
				sources[i] = fmt.Sprintf("%q", w.p.source)
			}
			for _, w := range group {
				w.d.fatal("", "workload name %q is used by %d workloads (%s); each needs its own namespace", name, len(group), strings.Join(sources, ", "))
				c.failed = append(c.failed, w.d)
			}
			c.unconverted[name] = true
			continue
		}
		w := group[0]
		w.ns = cmp.Or(c.opts.Namespace, name)
		w.resources = map[string]*provision.Result{}
		w.deps = map[string]string{}
		w.svc = w.serviceInfo()
		w.resolver = &resolver{metadata: w.p.metadata, resource: w.resource}
		c.ctxs[name] = w
	}
}

func safeParse(w Workload) (p *parsed, d *diags) {
	defer func() {
		if r := recover(); r != nil {
			p = nil
			d = &diags{workload: w.Name, source: w.Source}
			d.fatal("", "internal error reading the spec (please report it): %v", r)
		}
	}()
	return parseWorkload(w)
}

// convertSafely converts one workload; a bug costs that workload only.
func (c *converter) convertSafely(w *workloadCtx) {
	defer func() {
		if r := recover(); r != nil {
			w.d.fatal("", "internal error converting the workload (please report it): %v", r)
		}
	}()
	w.convert()
}

// output assembles the result from the converted workloads.
func (c *converter) output() Output {
	var out Output
	for _, d := range c.failed {
		out.Problems = append(out.Problems, d.list...)
	}
	c.checkCollisions()
	succeeded := map[string]bool{}
	for name, w := range c.ctxs {
		succeeded[name] = !w.d.hasFatal()
	}
	c.dependencyWarnings(succeeded)
	for _, name := range sortedKeys(c.ctxs) {
		w := c.ctxs[name]
		out.Problems = append(out.Problems, w.d.list...)
		if !succeeded[name] {
			continue
		}
		ms := w.manifests
		if c.opts.Namespace == "" {
			ms = append([]Manifest{namespaceManifest(w.ns)}, ms...)
		}
		sortManifests(ms)
		sortSecrets(w.secrets)
		out.Workloads = append(out.Workloads, WorkloadOutput{
			Name:               name,
			Namespace:          w.ns,
			Manifests:          ms,
			Secrets:            w.secrets,
			URL:                w.url,
			FailedDependencies: w.failedDeps,
		})
	}
	for _, uid := range sortedKeys(c.shared) {
		s := c.shared[uid]
		if s.prov == nil || s.prov.Failed || !anyOf(s.users, succeeded) {
			continue
		}
		out.Shared = appendNew(out.Shared, s.prov.Manifests...)
		out.SharedSecrets = append(out.SharedSecrets, s.prov.Secrets...)
	}
	if len(out.Shared) > 0 && c.opts.Namespace == "" {
		out.Shared = append(out.Shared, namespaceManifest(SharedNamespace))
	}
	sortManifests(out.Shared)
	sortSecrets(out.SharedSecrets)
	out.Problems = dedupProblems(out.Problems)
	return out
}

// sharedNamespace is where shared resources are provisioned.
func (c *converter) sharedNamespace() string { return cmp.Or(c.opts.Namespace, SharedNamespace) }

func anyOf(names []string, set map[string]bool) bool {
	for _, n := range names {
		if set[n] {
			return true
		}
	}
	return false
}

// checkCollisions makes two generated objects with one kind, namespace and
// name Fatal instead of letting one silently replace the other, e.g. a
// workload "db" whose postgres resource is also called "db".
func (c *converter) checkCollisions() {
	type owner struct {
		w      *workloadCtx
		shared *sharedResource
		m      Manifest
	}
	seen := map[string]owner{}
	claim := func(m Manifest, o owner) {
		kind, ns, name := manifest.Key(m)
		key := kind + "/" + ns + "/" + name
		o.m = m
		prev, dup := seen[key]
		if !dup {
			seen[key] = o
			return
		}
		if prev.shared != nil && o.shared != nil && reflect.DeepEqual(prev.m, m) {
			// One instance serving several shared resources.
			return
		}
		for _, x := range []owner{prev, o} {
			msg := fmt.Sprintf("two generated objects are both %s %s/%s; rename the workload or the resource", kind, ns, name)
			if x.w != nil {
				x.w.d.fatal("", "%s", msg)
			}
			if x.shared != nil {
				for _, u := range x.shared.users {
					c.ctxs[u].d.fatal("", "%s", msg)
				}
			}
		}
	}
	for _, name := range sortedKeys(c.ctxs) {
		w := c.ctxs[name]
		if w.d.hasFatal() {
			continue
		}
		for _, m := range w.manifests {
			claim(m, owner{w: w})
		}
	}
	for _, uid := range sortedKeys(c.shared) {
		s := c.shared[uid]
		if s.prov == nil || s.prov.Failed {
			continue
		}
		for _, m := range s.prov.Manifests {
			claim(m, owner{shared: s})
		}
	}
}

// The workload's context is what its resources' provisioners see.

func (w *workloadCtx) Warn(field, format string, args ...any)  { w.d.warn(field, format, args...) }
func (w *workloadCtx) Fatal(field, format string, args ...any) { w.d.fatal(field, format, args...) }

func (w *workloadCtx) Workload() (string, map[string]any) { return w.p.name, w.p.metadata }

// Services are the Services of every workload converted with w.
func (w *workloadCtx) Services() map[string]provision.Service {
	out := make(map[string]provision.Service, len(w.c.ctxs))
	for name, o := range w.c.ctxs {
		s := provision.Service{Name: o.svc.name, Namespace: o.svc.namespace, Ports: make([]provision.ServicePort, len(o.svc.ports))}
		for i, p := range o.svc.ports {
			s.Ports[i] = provision.ServicePort{Name: p.name, Port: p.port, TargetPort: p.targetPort, Protocol: p.protocol}
		}
		out[name] = s
	}
	return out
}
