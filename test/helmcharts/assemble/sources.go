package main

// source says where one chart comes from at its pinned version.
type source struct {
	name, version string
	// repo, tag and path locate the chart in its git repository.
	repo, tag, path string
	// links replace symbolic links in the chart with the folder they
	// point at in the same repository, as `helm package` follows them.
	links map[string]string
	// module, when set, reads the chart from this Go module at the tag
	// instead of git, and runs cert-manager's release step on it.
	module string
	// sharedSHA256, when set, takes the archive from ../shared/charts.
	sharedSHA256 string
}

// sources are the pins of fn/charts/catalog.go; TestArchivesArePinned
// fails when the two differ.
var sources = []source{
	{name: "loki", version: "18.11.0", sharedSHA256: "be1f2b1ad1271a946e6fa4605a906448c54ab79df38b1b31f5c51aec1dcd6934"},
	{name: "tempo", version: "2.2.4", sharedSHA256: "110d1bc721272c698e315eed733b2e3fc97dbaa00ef1f1176bac4bcfc43f8a68"},
	{name: "grafana", version: "12.11.1", sharedSHA256: "47bb1aed57ed6a86a61d3a038a7d982e33d4d8fc08383dd36bb4462832c673ad"},
	{name: "alloy", version: "1.11.1", sharedSHA256: "16a88af32e56e6b352132c7bb03fffca26070f0c75a6c647c5ceb349b1364e58"},
	{
		name: "nginx-gateway-fabric", version: "2.6.7",
		repo: "nginx/nginx-gateway-fabric", tag: "v2.6.7", path: "charts/nginx-gateway-fabric",
		links: map[string]string{"crds": "config/crd/bases"},
	},
	{name: "headlamp", version: "0.45.0", repo: "kubernetes-sigs/headlamp", tag: "headlamp-helm-0.45.0", path: "charts/headlamp"},
	{name: "harbor", version: "1.19.1", repo: "goharbor/harbor-helm", tag: "v1.19.1", path: "."},
	{
		name: "cert-manager", version: "v1.21.2",
		module: "github.com/cert-manager/cert-manager", tag: "v1.21.2", path: "deploy/charts/cert-manager",
	},
}
