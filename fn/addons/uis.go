package addons

import (
	"github.com/platformcluster/function-platform-cluster/fn/charts"
	"github.com/platformcluster/function-platform-cluster/fn/publish"
)

// uiPort is the port of every UI's Service: each chart's default
// service.port. TestCrossComponentURLs checks them against the pinned
// charts.
const uiPort = 80

// UIs are the enabled add-ons with a web interface and where their charts
// serve it: a Service named after the release, in the release's namespace.
func UIs(s Selection, cs map[string]charts.Chart) []publish.UI {
	var out []publish.UI
	add := func(on bool, addon string) {
		if on {
			out = append(out, publish.UI{Name: addon, Namespace: cs[addon].Namespace, Service: addon, Port: uiPort})
		}
	}
	add(s.Observability.Grafana, charts.Grafana)
	add(s.Harbor, charts.Harbor)
	add(s.Headlamp, charts.Headlamp)
	return out
}
