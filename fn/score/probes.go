package score

import (
	scoretypes "github.com/score-spec/score-go/types"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// probe converts a Score probe. Kubernetes allows one handler per probe;
// when both are given exec wins, as the Score spec says it should. Ports an
// httpGet probe uses are added to ports.
func (b *podBuilder) probe(field string, p *scoretypes.ContainerProbe, ports map[int32]bool) *corev1.Probe {
	if p == nil {
		return nil
	}
	switch {
	case p.Exec != nil:
		if p.HttpGet != nil {
			b.w.d.warn(field+".httpGet", "a Kubernetes probe has a single handler; exec is used and httpGet dropped, as the Score spec prefers exec")
		}
		if len(p.Exec.Command) == 0 {
			b.w.d.fatal(field+".exec.command", "must not be empty")
			return nil
		}
		return &corev1.Probe{ProbeHandler: corev1.ProbeHandler{Exec: &corev1.ExecAction{Command: p.Exec.Command}}}
	case p.HttpGet != nil:
		g := p.HttpGet
		action := &corev1.HTTPGetAction{
			Path: g.Path,
			Port: intstr.FromInt32(int32(g.Port)),
		}
		if g.Host != nil {
			action.Host = *g.Host
		}
		if g.Scheme != nil {
			action.Scheme = corev1.URIScheme(*g.Scheme)
		}
		for _, h := range g.HttpHeaders {
			action.HTTPHeaders = append(action.HTTPHeaders, corev1.HTTPHeader{Name: h.Name, Value: h.Value})
		}
		ports[int32(g.Port)] = true
		return &corev1.Probe{ProbeHandler: corev1.ProbeHandler{HTTPGet: action}}
	}
	b.w.d.warn(field, "has neither httpGet nor exec; no probe is set")
	return nil
}
