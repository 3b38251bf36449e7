package workload

import (
	"net/url"
	"sort"

	"github.com/platformcluster/function-platform-cluster/fn/score"
)

// RouteHosts returns the host names of every converted workload's
// HTTPRoutes, sorted and without repeats.
func RouteHosts(out score.Output) []string {
	seen := map[string]bool{}
	for _, wo := range out.Workloads {
		for _, m := range wo.Manifests {
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
	}
	hosts := make([]string, 0, len(seen))
	for h := range seen {
		hosts = append(hosts, h)
	}
	sort.Strings(hosts)
	return hosts
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
		pm, _ := p.(map[string]any)
		c := make(map[string]any, len(pm)+1)
		for k, v := range pm {
			c[k] = v
		}
		c["sectionName"] = section
		attached = append(attached, c)
	}
	spec := make(map[string]any, len(sp))
	for k, v := range sp {
		spec[k] = v
	}
	spec["parentRefs"] = attached
	out := make(score.Manifest, len(m))
	for k, v := range m {
		out[k] = v
	}
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
