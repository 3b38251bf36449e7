package workload

import (
	"maps"
	"net/url"

	"github.com/platformcluster/function-platform-cluster/fn/score"
	"github.com/platformcluster/function-platform-cluster/fn/sorted"
)

// RouteHosts returns the host names of the HTTPRoutes among ms, sorted and
// without repeats.
func RouteHosts(ms []score.Manifest) []string {
	seen := map[string]bool{}
	for _, m := range ms {
		if m["kind"] != "HTTPRoute" {
			continue
		}
		sp, _ := m["spec"].(map[string]any)
		hs, _ := sp["hostnames"].([]any)
		for _, h := range hs {
			if s, ok := h.(string); ok {
				seen[s] = true
			}
		}
	}
	return sorted.Keys(seen)
}

// attach returns the route m attached to the listener its host has in
// listeners, if any. An HTTPS host's routes must name its listener: left
// to attach to every listener, their exact host name would also win over
// the redirect on plain HTTP and serve the workload unencrypted. m may be
// shared with the conversion cache, so it is copied, not changed.
func attach(m score.Manifest, listeners map[string]string) score.Manifest {
	sp, _ := m["spec"].(map[string]any)
	hs, _ := sp["hostnames"].([]any)
	if len(hs) != 1 {
		return m
	}
	host, _ := hs[0].(string)
	section, ok := listeners[host]
	if !ok {
		return m
	}
	parents, _ := sp["parentRefs"].([]any)
	attached := make([]any, 0, len(parents))
	for _, p := range parents {
		c, _ := p.(map[string]any)
		c = maps.Clone(c)
		if c == nil {
			c = map[string]any{}
		}
		c["sectionName"] = section
		attached = append(attached, c)
	}
	spec := maps.Clone(sp)
	spec["parentRefs"] = attached
	out := maps.Clone(m)
	out["spec"] = spec
	return out
}

// secure turns a workload's http URL into https when its host is served
// over HTTPS.
func secure(raw string, listeners map[string]string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "http" {
		return raw
	}
	if _, ok := listeners[u.Hostname()]; ok {
		return "https" + raw[len("http"):]
	}
	return raw
}
